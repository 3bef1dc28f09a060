import { readdirSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";

/** `dir` and every folder below it (a learner's source folder: a handful). */
function foldersUnder(dir: string): string[] {
  try {
    return [dir, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name))];
  } catch {
    return [dir];
  }
}

/**
 * Calls `onChange` once per burst of saves under `dir` (editors write several times per
 * save). Returns a function that stops watching.
 *
 * Each folder gets a watcher of its own: Node's recursive watcher on Linux loses a file
 * that is replaced by a rename, which is how vim and `sed -i` save.
 */
export function watchFiles(dir: string, onChange: (file: string) => void, debounceMs = 120): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  const watchers = new Map<string, FSWatcher>();
  const watchNewFolders = () => {
    for (const folder of foldersUnder(dir)) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, (_event, file) => fire(folder, file));
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch {
        // removed meanwhile
      }
    }
  };
  const fire = (folder: string, file: string | Buffer | null) => {
    last = file ? path.relative(dir, path.join(folder, String(file))) : last;
    clearTimeout(timer);
    timer = setTimeout(() => {
      watchNewFolders();
      onChange(last);
    }, debounceMs);
  };
  watchNewFolders();
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
  };
}
