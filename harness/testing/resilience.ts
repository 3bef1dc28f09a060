import { expect } from "vitest";
import { eventually } from "./concurrency.ts";
import type { InstrumentedRedis } from "./instrumented-redis.ts";

/** Runs `body` and fails the test, with a clear message, if it leaked an unhandled promise rejection. */
export async function withoutUnhandledRejections(body: () => Promise<void>, while_ = "while the server was down"): Promise<void> {
  const leaked: unknown[] = [];
  const listener = (reason: unknown) => leaked.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await body();
    // Rejections are reported a turn after they happen.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off("unhandledRejection", listener);
  }
  expect(leaked.map(String), `unhandled promise rejections ${while_}`).toEqual([]);
}

/** Waits until a client has noticed that its server went away (bounded). */
export async function untilDisconnected(redis: InstrumentedRedis, timeoutMs = 3000): Promise<void> {
  await eventually(async () => expect(redis.status, "client status after the server stopped").not.toBe("ready"), { timeoutMs });
}
