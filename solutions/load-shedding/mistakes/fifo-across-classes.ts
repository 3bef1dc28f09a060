/**
 * Mistake: the queue evicts by class when full but serves in plain arrival order, so a
 * critical request waits behind every sheddable one that came first.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["priorities.critical-first"];

class ArrivalOrderAdmission extends AdmissionController {
  private readonly arrivals: Waiter[] = [];

  protected override enqueue(waiter: Waiter): void {
    this.arrivals.push(waiter);
    super.enqueue(waiter);
  }

  protected override takeNext(): Waiter | undefined {
    for (;;) {
      const waiter = this.arrivals.shift();
      if (!waiter) return undefined;
      if (this.queue.remove(waiter.rank, waiter)) return waiter;
    }
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new ArrivalOrderAdmission(options);
}
