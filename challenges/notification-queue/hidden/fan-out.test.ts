import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { notification, settled, showDeliveries, showEnqueue, startService } from "./queue.ts";

graded(
  "fan-out.one-delivery-per-channel",
  { points: 4, timeoutMs: 6000, hint: "enqueue() stores one pending delivery per channel; the worker sends each once and marks it sent with attempts 1." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    const input = notification({ channels: ["email", "sms", "push"] });
    const enqueued = await service.enqueue(input);
    expect(typeof enqueued?.notificationId, `${showEnqueue(input)} returned ${JSON.stringify(enqueued)}: notificationId should be a string`).toBe("string");
    expect(enqueued.deduplicated, `${showEnqueue(input)} returned ${JSON.stringify(enqueued)}: a new key is not deduplicated`).toBe(false);

    const before = await service.getDeliveries(enqueued.notificationId);
    expect(
      before.map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts })).sort((a, b) => a.channel.localeCompare(b.channel)),
      `getDeliveries() before any worker runs = ${showDeliveries(before)}: one pending delivery per channel, no attempts yet`,
    ).toEqual([
      { channel: "email", status: "pending", attempts: 0 },
      { channel: "push", status: "pending", attempts: 0 },
      { channel: "sms", status: "pending", attempts: 0 },
    ]);
    const ids = before.map((d) => d.deliveryId);
    expect(new Set(ids.map(String)).size, `deliveryIds ${JSON.stringify(ids)}: one distinct id per channel`).toBe(3);
    expect(providers.sends.length, `sends before startWorker() (${providers.describe()}): enqueue only stores`).toBe(0);

    startWorker();
    const byChannel = await settled(service, enqueued.notificationId, 3000, "after startWorker(), the three deliveries");
    for (const delivery of before) {
      const after = byChannel[delivery.channel];
      expect(after, `getDeliveries() after sending: ${JSON.stringify(byChannel)}; the ${delivery.channel} delivery`).toMatchObject({ deliveryId: delivery.deliveryId, status: "sent", attempts: 1 });
      const sent = providers.sendsTo(delivery.channel);
      expect(sent.length, `sends to the ${delivery.channel} provider (${providers.describe()})`).toBe(1);
      expect(sent[0]!.message.deliveryId, `deliveryId the ${delivery.channel} provider was given, vs getDeliveries()`).toEqual(delivery.deliveryId);
    }
  },
);

graded(
  "fan-out.message-fields",
  { points: 3, timeoutMs: 6000, hint: "Each provider gets { deliveryId, notificationId, userId, channel, type, payload }, the payload as enqueued (compare deeply: jsonb reorders keys). Only the channels asked for are sent." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    const payload = { orderId: "A-1001", total: 129.5, items: [{ sku: "mug", qty: 2 }], gift: true, note: null, nested: { zeta: 1, alpha: "é ✓" } };
    const input = notification({ userId: "user-7", type: "order-shipped", payload, channels: ["push", "email"] });
    const { notificationId } = await service.enqueue(input);
    startWorker();
    await settled(service, notificationId, 3000);
    expect(providers.sendsTo("sms").length, `sends to sms for ${showEnqueue(input)} (${providers.describe()}): sms was not asked for`).toBe(0);
    for (const channel of ["push", "email"] as const) {
      const sent = providers.sendsTo(channel);
      expect(sent.length, `sends to ${channel} (${providers.describe()})`).toBe(1);
      const { deliveryId, ...rest } = sent[0]!.message;
      expect(typeof deliveryId, `deliveryId given to ${channel}`).toBe("string");
      expect(rest, `the message the ${channel} provider was given for ${showEnqueue(input)} with payload ${JSON.stringify(payload)}`).toEqual({
        notificationId,
        userId: "user-7",
        channel,
        type: "order-shipped",
        payload,
      });
    }
  },
);

graded(
  "fan-out.migrate-idempotent",
  { points: 2, timeoutMs: 6000, hint: "migrate() runs on every start of every process: CREATE ... IF NOT EXISTS, and keep the data." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    const input = notification({ channels: ["sms"] });
    const { notificationId } = await service.enqueue(input);
    for (const time of ["a second", "a third"]) {
      const failure = await service.migrate().then(
        () => undefined,
        (error: unknown) => String(error),
      );
      expect(failure, `migrate() ${time} time, with a notification pending`).toBeUndefined();
    }
    const still = await service.getDeliveries(notificationId);
    expect(still.map((d) => d.status), `getDeliveries() after migrating again = ${showDeliveries(still)}`).toEqual(["pending"]);
    startWorker();
    const byChannel = await settled(service, notificationId, 3000);
    expect(byChannel.sms?.status, "status of the sms delivery enqueued before the extra migrations").toBe("sent");
    expect(providers.sends.length, `sends (${providers.describe()})`).toBe(1);
  },
);

graded(
  "fan-out.unknown-ids",
  { points: 2, timeoutMs: 6000, hint: "Ids reach getDeliveries() from clients. One your service never returned is unknown, whatever it holds: answer [] before Postgres parses it as a uuid (22P02) or chokes on a NUL byte, and never treat it as a pattern." },
  async (t) => {
    const { service } = await startService(t);
    const input = notification({ channels: ["email", "sms"] });
    const { notificationId: id } = await service.enqueue(input);
    const mine = await service.getDeliveries(id);
    expect(mine.length, `getDeliveries() of ${showEnqueue(input)} = ${showDeliveries(mine)}`).toBe(2);
    const unknown = [
      "",
      "nope",
      "0",
      "-1",
      "null",
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
      `${id}x`,
      `x${id}`,
      `${id} `,
      `${id}/email`,
      `${id}:email`,
      `${id}\u0000`,
      "\u0000",
      "🙂",
      "' OR '1'='1",
      "%",
      "*",
      "a".repeat(5000),
      String(mine[0]!.deliveryId),
    ];
    for (const candidate of unknown) {
      const shown = candidate.length > 60 ? `${JSON.stringify(candidate.slice(0, 20))}… (${candidate.length} characters)` : JSON.stringify(candidate);
      const answer = await service.getDeliveries(candidate).then(
        (deliveries) => ({ deliveries }),
        (error: unknown) => ({ error: String(error) }),
      );
      expect(answer, `getDeliveries(${shown}), an id the service never returned as a notificationId (the only notification is ${id}), gave ${JSON.stringify(answer).slice(0, 300)}`).toEqual({ deliveries: [] });
    }
    const still = await service.getDeliveries(id);
    expect(still.map((d) => d.deliveryId).sort(), `getDeliveries(${id}) after the unknown ids`).toEqual(mine.map((d) => d.deliveryId).sort());
  },
);
