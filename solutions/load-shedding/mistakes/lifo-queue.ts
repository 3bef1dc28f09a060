/**
 * Mistake: a free slot goes to the newest waiting request (a stack). Facebook's adaptive
 * LIFO does this on purpose under overload, but the spec asks for arrival order.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";
import { ClassQueues } from "../class-queues.ts";

export const mustFail = ["concurrency.arrival-order", "shedding.full-queue-answers-503", "priorities.critical-first", "priorities.full-queue-evicts-lower"];

class StackQueues<T> extends ClassQueues<T> {
  override takeNext(): T | undefined {
    for (const list of this.lists) if (list.length > 0) return list.pop();
    return undefined;
  }
}

class LifoAdmission extends AdmissionController {
  protected override readonly queue = new StackQueues<Waiter>();
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new LifoAdmission(options);
}
