import { Redis, type RedisOptions } from "ioredis";
import type { RedisTarget } from "../services/types.ts";

/** What a client sent, as the network saw it. */
export interface RedisTraffic {
  /** Batches of commands written before any reply was awaited: a pipeline, MULTI/EXEC or one EVALSHA is one. */
  roundTrips: number;
  commands: number;
  /** Command names in the order sent, lower case. */
  commandNames: string[];
  reset(): void;
}

/** An ioredis client that counts its round trips. */
export type InstrumentedRedis = Redis & { traffic: RedisTraffic };

/**
 * Connects to the stage's database and waits until ready. The offline queue is off so
 * that, with Redis down, commands fail at once instead of piling up.
 */
export async function connectInstrumentedRedis(target: RedisTarget, overrides: RedisOptions = {}): Promise<InstrumentedRedis> {
  const client = new Redis({
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    db: target.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 25, 250),
    ...overrides,
  }) as InstrumentedRedis;
  // Connection errors during resilience stages are expected; the learner may add listeners of their own.
  client.on("error", () => {});
  await client.connect();
  const traffic: RedisTraffic = {
    roundTrips: 0,
    commands: 0,
    commandNames: [],
    reset() {
      this.roundTrips = 0;
      this.commands = 0;
      this.commandNames = [];
    },
  };
  let batchOpen = false;
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command, stream) => {
    traffic.commands++;
    traffic.commandNames.push(command.name.toLowerCase());
    if (!batchOpen) {
      // Everything written in the same turn of the event loop shares one network round trip.
      batchOpen = true;
      traffic.roundTrips++;
      setImmediate(() => (batchOpen = false));
    }
    return send(command, stream);
  }) as Redis["sendCommand"];
  client.traffic = traffic;
  return client;
}
