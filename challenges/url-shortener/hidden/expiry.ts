/**
 * Shared by the hidden files (not a test file): when to check a link's expiry. The server,
 * Redis and this test share the machine's clock, so a visit sent after `expiresAt` must
 * be `410` however loaded the machine is, and a visit answered before it must be `302`.
 */

/** A visit this long before expiresAt must still redirect (judged only when answered before expiresAt). */
export const beforeExpiryMs = 300;
/** A visit this long after expiresAt must be 410. */
export const afterExpiryMs = 50;

/**
 * An expiresAt 1.5 to 2.5 s from `now`, 800 ms into its second: comparing whole seconds is
 * then wrong by a fixed amount, 800 ms early when rounded down and 200 ms late when rounded up.
 */
export function expiryInstant(now = Date.now()): number {
  return Math.ceil((now + 700) / 1000) * 1000 + 800;
}
