import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import type { Channel, NotificationService } from "../src/index.ts";
import { notification, settled, startService } from "./queue.ts";

const all: Channel[] = ["email", "sms", "push"];

/** Enqueues one notification on every channel and returns each channel's final status. */
async function statuses(service: NotificationService, userId: string, type: string, critical = false): Promise<Record<string, string>> {
  const { notificationId } = await service.enqueue(notification({ userId, type, channels: all, ...(critical ? { critical } : {}) }));
  const byChannel = await settled(service, notificationId, 3000, `the deliveries of ${userId}'s ${type} notification`);
  return Object.fromEntries(all.map((channel) => [channel, byChannel[channel]?.status ?? "missing"]));
}

graded(
  "preferences.precedence",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "The most specific preference decides: { type, channel }, then { type }, then { channel }, then { } (the user's default), then enabled. Setting the same scope again replaces it.",
  },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    startWorker();
    await service.setPreference("ann", { channel: "sms", enabled: false });
    await service.setPreference("ann", { type: "digest", enabled: false });
    await service.setPreference("ann", { type: "security", enabled: true });
    await service.setPreference("ann", { type: "digest", channel: "push", enabled: true });
    await service.setPreference("bob", { enabled: false });
    await service.setPreference("bob", { channel: "push", enabled: true });
    const prefs =
      'ann: { channel: "sms", enabled: false }, { type: "digest", enabled: false }, { type: "security", enabled: true }, { type: "digest", channel: "push", enabled: true }; bob: { enabled: false }, { channel: "push", enabled: true }';
    const cases = [
      ["ann", "marketing", { email: "sent", sms: "skipped", push: "sent" }, "{ channel: sms } applies to every type"],
      ["ann", "digest", { email: "skipped", sms: "skipped", push: "sent" }, "{ type: digest, channel: push } beats { type: digest }"],
      ["ann", "security", { email: "sent", sms: "sent", push: "sent" }, "{ type: security } beats { channel: sms }"],
      ["bob", "news", { email: "skipped", sms: "skipped", push: "sent" }, "{ channel: push } beats the user's default { }"],
      ["cat", "news", { email: "sent", sms: "sent", push: "sent" }, "no preferences: enabled"],
    ] as const;
    for (const [user, type, expected, why] of cases) {
      expect(await statuses(service, user, type), `statuses of ${user}'s "${type}" notification on every channel, with ${prefs} (${why})`).toEqual(expected);
    }
    await service.setPreference("ann", { channel: "sms", enabled: true });
    expect(await statuses(service, "ann", "marketing"), `ann's "marketing" after setting { channel: "sms", enabled: true } again: the new value replaces the old`).toEqual({ email: "sent", sms: "sent", push: "sent" });
    const skippedSent = providers.sends.filter((s) => s.message.userId === "bob" && s.channel !== "push");
    expect(skippedSent.map((s) => s.channel), "sends to bob's disabled channels: a skipped delivery is never sent").toEqual([]);
  },
);

graded(
  "preferences.checked-at-delivery",
  { points: 3, timeoutMs: 6000, hint: "Decide when the worker picks the delivery up, with the preferences as they are then; a skipped delivery has attempts 0 and is never sent." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    const optOut = await service.enqueue(notification({ userId: "dee", type: "promo", channels: ["email", "push"] }));
    await service.setPreference("dee", { type: "promo", enabled: false });
    await service.setPreference("eve", { channel: "email", enabled: false });
    const optIn = await service.enqueue(notification({ userId: "eve", type: "promo", channels: ["email"] }));
    await service.setPreference("eve", { channel: "email", enabled: true });
    startWorker();
    const dee = await settled(service, optOut.notificationId, 3000);
    for (const channel of ["email", "push"] as const) {
      expect(dee[channel], `dee's promo on ${channel}, enqueued before dee set { type: "promo", enabled: false } and before the worker started`).toMatchObject({ status: "skipped", attempts: 0 });
    }
    const eve = await settled(service, optIn.notificationId, 3000);
    expect(eve.email, `eve's promo on email, enqueued while email was disabled, re-enabled before the worker started`).toMatchObject({ status: "sent", attempts: 1 });
    expect(providers.sends.map((s) => `${s.message.userId}/${s.channel}`), "sends").toEqual(["eve/email"]);
  },
);

graded(
  "preferences.critical-bypasses",
  { points: 3, timeoutMs: 6000, hint: "critical: true is sent on every channel asked for, whatever the preferences say." },
  async (t) => {
    const { service, startWorker } = await startService(t);
    startWorker();
    await service.setPreference("fay", { enabled: false });
    await service.setPreference("fay", { type: "password-reset", enabled: false });
    await service.setPreference("fay", { type: "password-reset", channel: "sms", enabled: false });
    await service.setPreference("fay", { channel: "email", enabled: false });
    expect(await statuses(service, "fay", "password-reset", true), "fay's critical password-reset with every preference disabled").toEqual({ email: "sent", sms: "sent", push: "sent" });
    expect(await statuses(service, "fay", "password-reset"), "the same notification without critical").toEqual({ email: "skipped", sms: "skipped", push: "skipped" });
  },
);
