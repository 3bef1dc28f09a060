import type { Redis, RedisOptions } from "ioredis";
import type { RedisTarget } from "../services/types.ts";

/** What a client sent, as the network saw it, together with every connection made from it. */
export interface RedisTraffic {
  /** Batches of commands written before any reply was awaited: a pipeline, MULTI/EXEC or one EVALSHA is one. */
  roundTrips: number;
  commands: number;
  /** Command names in the order sent, lower case. */
  commandNames: string[];
  /** Connections that sent commands: the client itself, and any made from it with `duplicate()` or its options. */
  connections: number;
  reset(): void;
}

/** An ioredis client that counts its round trips. */
export type InstrumentedRedis = Redis & { traffic: RedisTraffic };

/**
 * The counter rides in the client's options, which `duplicate()` and `new Redis(client.options)`
 * copy, so a connection built from the injected client counts against the same budgets.
 */
interface CountedOptions {
  katasTraffic?: RedisTraffic;
}

const clientsOf = new WeakMap<RedisTraffic, Set<Redis>>();
const batchOpen = new WeakSet<Redis>();
let counting = false;

function countEveryCountedClient(RedisClass: typeof Redis): void {
  if (counting) return;
  counting = true;
  const send = RedisClass.prototype.sendCommand;
  RedisClass.prototype.sendCommand = function (this: Redis, command, stream) {
    const traffic = (this.options as CountedOptions).katasTraffic;
    if (traffic) {
      traffic.commands++;
      traffic.commandNames.push(command.name.toLowerCase());
      const clients = clientsOf.get(traffic)!;
      if (!clients.has(this)) {
        clients.add(this);
        traffic.connections = clients.size;
      }
      if (!batchOpen.has(this)) {
        // Everything one connection writes in the same turn of the event loop shares one network round trip.
        batchOpen.add(this);
        traffic.roundTrips++;
        setImmediate(() => batchOpen.delete(this));
      }
    }
    return send.call(this, command, stream);
  } as Redis["sendCommand"];
}

/**
 * Connects to the stage's database and waits until ready. The offline queue is off so
 * that, with Redis down, commands fail at once instead of piling up.
 */
export async function connectInstrumentedRedis(target: RedisTarget, overrides: RedisOptions = {}): Promise<InstrumentedRedis> {
  // Loaded on first use: a worker of a Postgres-only stage never pays for ioredis.
  const { Redis } = await import("ioredis");
  countEveryCountedClient(Redis);
  const traffic: RedisTraffic = {
    roundTrips: 0,
    commands: 0,
    commandNames: [],
    connections: 0,
    reset() {
      this.roundTrips = 0;
      this.commands = 0;
      this.commandNames = [];
    },
  };
  const options: RedisOptions & CountedOptions = {
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
    katasTraffic: traffic,
  };
  const client = new Redis(options) as InstrumentedRedis;
  clientsOf.set(traffic, new Set());
  // Connection errors during resilience stages are expected; the learner may add listeners of their own.
  client.on("error", () => {});
  await client.connect();
  traffic.reset(); // the handshake (INFO, SELECT) is the suite's, not the implementation's
  client.traffic = traffic;
  return client;
}

/** Disconnects the client and every connection made from it. */
export function disconnectAll(client: InstrumentedRedis): void {
  for (const derived of clientsOf.get(client.traffic) ?? []) derived.disconnect();
  client.disconnect();
}
