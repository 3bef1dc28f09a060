import { describe, expect, test } from "vitest";
import { checkLimit, MachineTimeExceeded, withinMachineTime } from "../testing/machine-time.ts";
import { classifyVerdict } from "../grading/classify-verdict.ts";

const limit = { limitMs: 3000, maxStretch: 2 };

describe("a graded test's limit in machine time", () => {
  test("on a quiet machine it is wall time", () => {
    expect(checkLimit(limit, 3000, 0)).toEqual({ expired: true, wallMs: 3000 });
  });

  test("time the machine spent busy is given back, and looked at again when it would run out", () => {
    expect(checkLimit(limit, 3000, 1200)).toEqual({ expired: false, checkInMs: 1200 });
    expect(checkLimit(limit, 4200, 1200)).toEqual({ expired: true, wallMs: 4200 });
  });

  test("never past maxStretch times the limit, however busy", () => {
    expect(checkLimit(limit, 3000, 3000)).toEqual({ expired: false, checkInMs: 3000 });
    expect(checkLimit(limit, 5900, 5800)).toEqual({ expired: false, checkInMs: 100 });
    expect(checkLimit(limit, 6000, 6000)).toEqual({ expired: true, wallMs: 6000 });
  });

  test("a body that never settles is stopped, as a timeout grading recognises", async () => {
    const started = performance.now();
    const error = await withinMachineTime({ limitMs: 100, maxStretch: 2 }, () => new Promise(() => {})).catch((e: unknown) => e);
    const wallMs = performance.now() - started;
    expect(error).toBeInstanceOf(MachineTimeExceeded);
    expect(wallMs, "ms until a 100 ms limit (stretch 2) gave up").toBeGreaterThanOrEqual(99);
    expect(wallMs).toBeLessThan(1000);
    const raw = { name: "a.b", fileStage: "a", output: "", state: "failed" as const, durationMs: wallMs, errors: [{ name: (error as Error).name, message: (error as Error).message }] };
    expect(classifyVerdict(raw).verdict).toBe("timeout");
  });

  test("a body that settles in time decides the test", async () => {
    await expect(withinMachineTime(limit, async () => "done")).resolves.toBe("done");
    await expect(withinMachineTime(limit, async () => Promise.reject(new Error("wrong")))).rejects.toThrow("wrong");
  });
});
