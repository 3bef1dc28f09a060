import { watch, type FSWatcher } from "node:fs";

/**
 * Calls `onChange` once per burst of saves under `dir` (editors write several times per
 * save). Returns a function that stops watching.
 */
export function watchFiles(dir: string, onChange: (file: string) => void, debounceMs = 120): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  let watcher: FSWatcher;
  const fire = (_event: string, file: string | Buffer | null) => {
    last = file ? String(file) : last;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(last), debounceMs);
  };
  try {
    watcher = watch(dir, { recursive: true }, fire);
  } catch {
    // Recursive watching is not available everywhere; the top folder still covers a single-file stub.
    watcher = watch(dir, fire);
  }
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
