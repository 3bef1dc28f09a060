import { randomBytes } from "node:crypto";
import http from "node:http";
import type { ServiceProvider } from "../services/types.ts";

/**
 * A loopback endpoint through which hidden tests (in vitest workers) ask the grading
 * process to stop, start, pause or resume a server, since only the process that started
 * it owns it.
 */
export class FaultControlServer {
  readonly token = randomBytes(16).toString("hex");
  private server: http.Server | undefined;

  constructor(private readonly provider: ServiceProvider) {}

  async listen(): Promise<string> {
    const server = http.createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("fault control server has no address");
    return `http://127.0.0.1:${address.port}`;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const match = /^\/servers\/([\w-]+)\/(stop|start|pause|resume)$/.exec(request.url ?? "");
    if (request.method !== "POST" || !match || request.headers.authorization !== `Bearer ${this.token}`) {
      response.writeHead(404).end();
      return;
    }
    const control = this.provider.control(match[1]!);
    if (!control) {
      response.writeHead(404).end(`no such server ${match[1]}`);
      return;
    }
    try {
      await control[match[2] as "stop" | "start" | "pause" | "resume"]();
      response.writeHead(204).end();
    } catch (error) {
      response.writeHead(500).end((error as Error).message);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
