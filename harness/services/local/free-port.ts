import net from "node:net";

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a server on a port from `freePort()`, again on a new one (at most 3 tries) when
 * another process bound that port first: the port is closed between picking and binding.
 * `start` gets the attempt number, from 1.
 */
export async function startOnFreePort<T>(start: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error)?.message).includes("in use")) throw error;
    }
  }
}
