/**
 * Shared by the hidden files (not a test file): the payment provider as a test double. Like
 * a real processor it de-duplicates by the idempotency key it is given, and it records
 * every call. Each call follows the next planned behaviour ("ok" when none is planned).
 */
import { randomBytes } from "node:crypto";
import type { ChargeRequest, PaymentProvider } from "../src/index.ts";
import type { PaymentsModule } from "./implementation.ts";

export type Behaviour =
  /** Charge and answer. */
  | "ok"
  /** Charge, then wait until release() before answering. */
  | "hold"
  /** Charge, then never answer (the process handling the request died). */
  | "hang"
  /** Decline the card (DeclinedError "insufficient_funds"), charging nothing. */
  | "decline"
  /** Fail before charging (the provider was unreachable). */
  | "fail-before-charge"
  /** Charge, then fail (the answer was lost on the way back). */
  | "fail-after-charge";

export interface RecordedCharge {
  chargeId: string;
  request: ChargeRequest;
}

export class ProviderDouble implements PaymentProvider {
  /** Every call, in order, as it was made. */
  readonly calls: ChargeRequest[] = [];
  /** Distinct charges, by the idempotency key they were made with. */
  readonly charges = new Map<string, RecordedCharge>();
  private readonly plan: Behaviour[] = [];
  private released: Promise<void> = new Promise(() => {});
  private releaseHeld: () => void = () => {};
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly module: PaymentsModule) {
    this.resetHold();
  }

  /** The next calls behave like this, in order. */
  next(...behaviours: Behaviour[]): this {
    this.plan.push(...behaviours);
    return this;
  }

  /** Lets every held call answer. */
  release(): void {
    this.releaseHeld();
    this.resetHold();
  }

  /** Resolves once `count` calls have been made; rejects after `timeoutMs`. */
  called(count: number, timeoutMs = 2000): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the provider was called ${this.calls.length} time(s), not ${count}, within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** The idempotency keys the provider was given, call by call. */
  keys(): string[] {
    return this.calls.map((call) => call.idempotencyKey);
  }

  async charge(request: ChargeRequest): Promise<{ chargeId: string }> {
    const behaviour = this.plan.shift() ?? "ok";
    this.calls.push({ ...request });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    await Promise.resolve();
    if (behaviour === "decline") throw new this.module.DeclinedError("insufficient_funds");
    if (behaviour === "fail-before-charge") throw new Error("connect ECONNREFUSED 10.0.0.1:443 (test double: nothing was charged)");
    const charge = this.chargeFor(request);
    if (behaviour === "fail-after-charge") throw new Error("socket hang up (test double: the charge went through, the answer was lost)");
    if (behaviour === "hold") await this.released;
    if (behaviour === "hang") await new Promise(() => {});
    return { chargeId: charge.chargeId };
  }

  private chargeFor(request: ChargeRequest): RecordedCharge {
    const key = request.idempotencyKey;
    if (typeof key !== "string" || key.length === 0) throw new TypeError("test double: idempotencyKey must be a non-empty string");
    const existing = this.charges.get(key);
    if (!existing) {
      const charge = { chargeId: `ch_${randomBytes(8).toString("hex")}`, request: { ...request } };
      this.charges.set(key, charge);
      return charge;
    }
    const { amountCents, currency, customerId } = existing.request;
    if (amountCents !== request.amountCents || currency !== request.currency || customerId !== request.customerId) {
      throw new Error(`test double: idempotency key ${JSON.stringify(key)} was already used for another charge (${amountCents} ${currency} for ${customerId})`);
    }
    return existing;
  }

  private resetHold(): void {
    this.released = new Promise((resolve) => (this.releaseHeld = resolve));
  }
}
