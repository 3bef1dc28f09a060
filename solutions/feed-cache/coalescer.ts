/**
 * In-process request coalescing ("single flight"): concurrent callers for one key share
 * one load, and a batch of keys loads in one call. A caller passes the number `mark()`
 * gave it just before it sent its cache read: when a load of that key finished (and
 * filled the cache) after that, the caller is told to read the cache again instead of
 * loading a second time.
 */
export class Coalescer<V> {
  private seq = 0;
  private readonly inFlight = new Map<string, Promise<V | undefined>>();
  private readonly finished = new Map<string, number>();

  constructor(private readonly remember = 10_000) {}

  /** Call just before sending a cache read; pass the number to `load`. */
  mark(): number {
    return ++this.seq;
  }

  /**
   * Values for `keys`: joined from loads in flight, or loaded by one call of `loadMany`
   * for the rest. Keys whose load finished after `readSeq` are listed in `reread`.
   */
  async load(keys: string[], readSeq: number, loadMany: (keys: string[]) => Promise<Map<string, V>>): Promise<{ values: Map<string, V | undefined>; reread: string[] }> {
    const waits: [string, Promise<V | undefined>][] = [];
    const reread: string[] = [];
    const mine: string[] = [];
    for (const key of keys) {
      const running = this.inFlight.get(key);
      if (running) waits.push([key, running]);
      else if ((this.finished.get(key) ?? 0) > readSeq) reread.push(key);
      else mine.push(key);
    }
    if (mine.length > 0) {
      const batch = loadMany(mine);
      batch.catch(() => {}); // each key's promise below carries the failure to its callers
      for (const key of mine) {
        const one = batch.then((values) => values.get(key));
        this.inFlight.set(key, one);
        waits.push([key, one]);
        one.then(
          () => this.done(key),
          () => this.done(key, false),
        );
      }
    }
    const values = new Map<string, V | undefined>();
    for (const [key, wait] of waits) values.set(key, await wait);
    return { values, reread };
  }

  private done(key: string, filled = true): void {
    this.inFlight.delete(key);
    this.finished.delete(key);
    if (!filled) return;
    this.finished.set(key, ++this.seq);
    if (this.finished.size > this.remember) this.finished.delete(this.finished.keys().next().value!);
  }
}
