import { describe, expect, test } from "vitest";
import { limitPassed, machineDeadline } from "../testing/machine-time.ts";

const limit = { limitMs: 12_000, maxStretch: 2 };

describe("a liveness bound in machine time", () => {
  test("on a quiet machine it is wall time", () => {
    expect(limitPassed(limit, 11_999, 0)).toBe(false);
    expect(limitPassed(limit, 12_000, 0)).toBe(true);
  });

  test("time the machine spent busy does not count", () => {
    expect(limitPassed(limit, 15_000, 4000)).toBe(false);
    expect(limitPassed(limit, 16_000, 4000)).toBe(true);
  });

  test("never past maxStretch times the limit, however busy", () => {
    expect(limitPassed(limit, 23_999, 23_999)).toBe(false);
    expect(limitPassed(limit, 24_000, 24_000)).toBe(true);
  });

  test("a deadline passes, at the latest, maxStretch times its limit from now", async () => {
    const deadline = machineDeadline({ limitMs: 50, maxStretch: 2 });
    expect(deadline.passed(), "at once").toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 110));
    expect(deadline.passed(), "after 110 ms").toBe(true);
  });
});
