/**
 * Not a mistake: what the two sweep mistakes share. In place of the reference's timer per
 * request (armDeadline), one interval of maxQueueWaitMs sheds the queued requests that
 * `due` picks; each sweep mistake is this with its own `due`.
 */
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export abstract class SweepingAdmission extends AdmissionController {
  private sweeper?: NodeJS.Timeout;
  private readonly waiting = new Map<Waiter, number>();

  /** Whether a sweep sheds a request that has been queued for `waitedMs`. */
  protected abstract due(waitedMs: number): boolean;

  protected override armDeadline(waiter: Waiter): void {
    this.waiting.set(waiter, performance.now());
    this.sweeper ??= setInterval(() => {
      const now = performance.now();
      for (const [queued, since] of [...this.waiting]) {
        if (!this.due(now - since)) continue;
        this.leaveQueue(queued);
        this.shed(queued.res);
      }
    }, this.options.maxQueueWaitMs);
    this.sweeper.unref();
  }

  protected override forget(waiter: Waiter): void {
    this.waiting.delete(waiter);
    super.forget(waiter);
  }
}
