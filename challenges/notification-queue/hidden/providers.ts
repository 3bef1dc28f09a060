import type { Channel, OutboundMessage, Provider } from "../src/index.ts";
import type { QueueModule } from "./implementation.ts";
import { eventually } from "../../../harness/testing/index.ts";
import { expect, onTestFinished } from "vitest";

/** What a scripted send does: succeed (at once or after a while), fail (retryable), throw PermanentError, or hang until released. */
export type Behaviour = "ok" | "hang" | { okAfterMs: number } | { fail: string } | { permanent: string };

/** One call to a provider's send(). */
export interface SendRecord {
  channel: Channel;
  message: OutboundMessage;
  /** 1 for the first send of this deliveryId, 2 for the second... */
  nth: number;
  /** performance.now() when send() was called and when it settled. */
  startedAt: number;
  settledAt?: number;
  /** Date.now() when send() was called, to compare with other processes. */
  wallAt: number;
  outcome?: "ok" | "failed" | "permanent";
}

type Script = (message: OutboundMessage, nth: number) => Behaviour;

/**
 * Recording doubles for the three channels (the outside world). Each send is recorded
 * with its timing; `script` decides what it does. Hung sends are released when the test ends.
 */
export class RecordingProviders {
  readonly sends: SendRecord[] = [];
  readonly providers: Record<Channel, Provider>;
  private script: Script = () => "ok";
  private readonly hung = new Map<SendRecord, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly module: QueueModule) {
    const provider = (channel: Channel): Provider => ({ send: (message) => this.send(channel, message) });
    this.providers = { email: provider("email"), sms: provider("sms"), push: provider("push") };
    onTestFinished(() => {
      for (const record of [...this.hung.keys()]) this.release(record, "ok");
    });
  }

  /** Decides what each send does from now on. */
  behave(script: Script): this {
    this.script = script;
    return this;
  }

  private send(channel: Channel, message: OutboundMessage): Promise<void> {
    const nth = this.sends.filter((s) => s.message.deliveryId === message.deliveryId).length + 1;
    // Keep a copy: the message is what was sent, whatever the caller does with the object later.
    const record: SendRecord = { channel, message: structuredClone(message), nth, startedAt: performance.now(), wallAt: Date.now() };
    this.sends.push(record);
    const behaviour = this.script(message, nth);
    const settle = (outcome: SendRecord["outcome"]) => {
      record.settledAt = performance.now();
      record.outcome = outcome;
    };
    if (behaviour === "ok") {
      return Promise.resolve().then(() => settle("ok"));
    }
    if (behaviour === "hang") {
      return new Promise<void>((resolve, reject) => {
        this.hung.set(record, {
          resolve: () => {
            settle("ok");
            resolve();
          },
          reject: (error) => {
            settle(error instanceof this.module.PermanentError ? "permanent" : "failed");
            reject(error);
          },
        });
      });
    }
    if ("okAfterMs" in behaviour) {
      return new Promise<void>((resolve) => setTimeout(resolve, behaviour.okAfterMs)).then(() => settle("ok"));
    }
    if ("permanent" in behaviour) {
      settle("permanent");
      return Promise.reject(new this.module.PermanentError(behaviour.permanent));
    }
    settle("failed");
    return Promise.reject(new Error(behaviour.fail));
  }

  /** Finishes a hung send: resolves it, or rejects it with a retryable error. */
  release(record: SendRecord, how: "ok" | { fail: string }): void {
    const pending = this.hung.get(record);
    if (!pending) return;
    this.hung.delete(record);
    if (how === "ok") pending.resolve();
    else pending.reject(new Error(how.fail));
  }

  sendsOf(deliveryId: string): SendRecord[] {
    return this.sends.filter((s) => s.message.deliveryId === deliveryId);
  }

  sendsTo(channel: Channel): SendRecord[] {
    return this.sends.filter((s) => s.channel === channel);
  }

  /** Waits (bounded) until at least `count` sends matching `filter` happened. */
  async waitForSends(count: number, what: string, timeoutMs: number, filter: (s: SendRecord) => boolean = () => true): Promise<SendRecord[]> {
    return eventually(
      async () => {
        const matching = this.sends.filter(filter);
        expect(matching.length, `${what}: sends seen within ${timeoutMs} ms (all sends so far: ${this.describe()})`).toBeGreaterThanOrEqual(count);
        return matching;
      },
      { timeoutMs, intervalMs: 5 },
    );
  }

  /** The sends so far, short, for messages. */
  describe(): string {
    if (this.sends.length === 0) return "none";
    const shown = this.sends.slice(0, 12).map((s) => `${s.channel}#${s.nth}(${s.message.deliveryId.slice(0, 12)})${s.outcome ? `→${s.outcome}` : ""}`);
    return shown.join(", ") + (this.sends.length > 12 ? `, … ${this.sends.length} in all` : "");
  }
}
