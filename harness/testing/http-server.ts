import http from "node:http";
import { onTestFinished } from "vitest";

/** Listens on a free loopback port; the server and its connections close when the test ends. */
export async function serve(app: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  onTestFinished(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return server;
}
