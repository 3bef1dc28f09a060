/** The number of slots, and how it learns from each finished request. */
export interface ConcurrencyLimit {
  current(): number;
  /** A request let through `latencyMs` ago just finished. */
  sample(latencyMs: number): void;
}

export function fixedLimit(value: number): ConcurrencyLimit {
  return { current: () => value, sample: () => {} };
}

/** How the adaptive limit reacts; mistakes change one of these. */
export interface AdaptivePolicy {
  /** A sample at most this many times the baseline is healthy: the limit grows by one. */
  healthyRatio: number;
  /** Each unhealthy sample multiplies the limit by this (then rounds down). */
  decrease: number;
}

export const referenceAdaptivePolicy: AdaptivePolicy = { healthyRatio: 1.5, decrease: 0.9 };

/**
 * AIMD against a latency baseline (the lowest latency seen): +1 per healthy sample,
 * ×0.9 per sample slower than 1.5× the baseline, always an integer in [min, max].
 */
export class AdaptiveLimit implements ConcurrencyLimit {
  protected value: number;
  protected baseline = Number.POSITIVE_INFINITY;

  constructor(
    initial: number,
    protected readonly min: number,
    protected readonly max: number,
    protected readonly policy: AdaptivePolicy = referenceAdaptivePolicy,
  ) {
    this.value = this.clamp(initial);
  }

  current(): number {
    return this.value;
  }

  sample(latencyMs: number): void {
    if (!(latencyMs >= 0)) return;
    this.baseline = Math.min(this.baseline, latencyMs);
    const healthy = latencyMs <= this.baseline * this.policy.healthyRatio;
    this.value = this.clamp(healthy ? this.value + 1 : this.value * this.policy.decrease);
  }

  protected clamp(value: number): number {
    return Math.min(this.max, Math.max(this.min, Math.floor(value)));
  }
}
