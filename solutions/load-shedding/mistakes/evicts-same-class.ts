/**
 * Mistake: an arrival at a full queue evicts a request of its own class too ("newest
 * wins"), so waiting normal requests are thrown out by later normal ones.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";
import type { Rank } from "../class-queues.ts";

export const mustFail = ["shedding.full-queue-answers-503", "priorities.full-queue-evicts-lower"];

class SameClassEvictionAdmission extends AdmissionController {
  protected override evictFor(rank: Rank): Waiter | undefined {
    return this.queue.evictBelow((rank - 1) as Rank);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new SameClassEvictionAdmission(options);
}
