import type { Priority } from "../../challenges/load-shedding/src/index.ts";

/** 0 is served first. Anything that is not a known class counts as "normal". */
export type Rank = 0 | 1 | 2;

export function rankOf(priority: Priority | string | undefined): Rank {
  if (priority === "critical") return 0;
  if (priority === "sheddable") return 2;
  return 1;
}

/** One FIFO list per priority class. */
export class ClassQueues<T> {
  protected readonly lists: [T[], T[], T[]] = [[], [], []];

  get size(): number {
    return this.lists[0].length + this.lists[1].length + this.lists[2].length;
  }

  push(rank: Rank, item: T): void {
    this.lists[rank].push(item);
  }

  /** The longest-waiting item of the highest non-empty class. */
  takeNext(): T | undefined {
    for (const list of this.lists) if (list.length > 0) return list.shift();
    return undefined;
  }

  /** The newest item of the lowest class below `rank`, taken out; undefined when every waiting item ranks as high or higher. */
  evictBelow(rank: Rank): T | undefined {
    for (let r = 2; r > rank; r--) {
      const list = this.lists[r]!;
      if (list.length > 0) return list.pop();
    }
    return undefined;
  }

  remove(rank: Rank, item: T): boolean {
    const list = this.lists[rank];
    const index = list.indexOf(item);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }
}
