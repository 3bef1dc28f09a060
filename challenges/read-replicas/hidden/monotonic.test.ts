import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { instances, profile } from "./implementation.ts";

graded(
  "monotonic.after-primary-read",
  { points: 4, timeoutMs: 6000, hint: "When the primary serves a viewer's read, raise that viewer's position to the primary's WAL position, in the shared table: the lagging replica may not serve them again until it has caught up with what they saw." },
  async (t) => {
    const { all, replication } = await instances(t, 2);
    const [a, b] = all;
    await a!.service.updateProfile("ursula", { name: "URSULA", bio: "v1" });
    await replication.caughtUp();
    await replication.pauseReplay();
    await a!.service.updateProfile("ursula", { name: "URSULA", bio: "v2" });
    expect(await a!.service.getProfile("walter", "ursula"), "walter (nothing pending) first reads the lagging replica").toEqual(profile("ursula", "v1"));
    const replica = replication.replicaFaults();
    await replica.pause(); // the replica hangs: walter's next read falls back to the primary
    expect(await a!.service.getProfile("walter", "ursula"), "walter's read while the replica hangs: the primary's copy").toEqual(profile("ursula", "v2"));
    await replica.resume(); // back, but replay is still paused: it still holds v1
    expect(await a!.service.getProfile("walter", "ursula"), "walter's next read, through the same instance: never older than what he saw").toEqual(profile("ursula", "v2"));
    expect(await b!.service.getProfile("walter", "ursula"), "walter's next read, through another instance").toEqual(profile("ursula", "v2"));
  },
);
