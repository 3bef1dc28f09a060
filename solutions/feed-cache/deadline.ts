/** A call that got no answer in time; the call itself may still complete later. */
export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
}

/**
 * `work`, or a DeadlineExceeded rejection after `ms` (0: no deadline). A hung server
 * accepts commands and never answers, so a client without a deadline waits forever.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
