/**
 * Mistake: a cached redirect awaits GET, then INCR, then PEXPIRE (a sliding TTL for hot
 * links): three round trips where one pipeline or script would do.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["efficiency.cached-round-trips"];

export const { migrate, createApp } = shortenerVariant({ slidingTtl: true });
