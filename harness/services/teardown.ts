import createDebug from "debug";

const debug = createDebug("katas:teardown");

interface TeardownTask {
  name: string;
  run: () => Promise<void> | void;
}

/**
 * Everything started during a grade registers here the moment it starts;
 * `run()` undoes it all, newest first, once, whatever else failed.
 */
export class Teardown {
  private tasks: TeardownTask[] = [];
  private running: Promise<void> | undefined;

  add(name: string, run: TeardownTask["run"]): void {
    this.tasks.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= this.runAll();
    return this.running;
  }

  private async runAll(): Promise<void> {
    while (this.tasks.length > 0) {
      const task = this.tasks.pop()!;
      const started = Date.now();
      try {
        await Promise.race([task.run(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      } catch (error) {
        debug("teardown of %s failed: %O", task.name, error);
      }
      debug("tore down %s in %dms", task.name, Date.now() - started);
    }
  }
}
