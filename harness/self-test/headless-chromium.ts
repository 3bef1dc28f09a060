import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";

/** Debian's chromium, if installed. */
export function chromiumPath(): string | undefined {
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
}

/**
 * A page opened in headless chromium, driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON), so a test reads what
 * the browser rendered (innerText honours CSS) and takes real screenshots.
 */
export class HeadlessPage {
  private nextId = 1;
  private buffer = "";
  private readonly pending = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  private sessionId = "";
  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {}

  static async open(url: string, size: { width: number; height: number }): Promise<HeadlessPage> {
    const profile = mkdtempSync(path.join(os.tmpdir(), "katas-chromium-"));
    const flags = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", `--user-data-dir=${profile}`, "--remote-debugging-pipe", `--window-size=${size.width},${size.height}`, "--hide-scrollbars",
    ];
    const child = spawn(chromiumPath()!, [...flags, "about:blank"], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
    const page = new HeadlessPage(child, profile);
    (child.stdio[4] as Readable).on("data", (chunk: Buffer) => page.receive(chunk.toString("utf8")));
    child.on("exit", () => page.failAll(new Error("chromium exited")));
    const { targetInfos } = await page.send("Target.getTargets");
    const target = (targetInfos as { type: string; targetId: string }[]).find((info) => info.type === "page");
    const targetId = target ? target.targetId : (await page.send("Target.createTarget", { url: "about:blank" })).targetId;
    page.sessionId = (await page.send("Target.attachToTarget", { targetId, flatten: true })).sessionId;
    await page.send("Page.enable");
    await page.send("Emulation.setDeviceMetricsOverride", { width: size.width, height: size.height, deviceScaleFactor: 1, mobile: size.width < 600 });
    await page.send("Page.navigate", { url });
    for (let i = 0; i < 200 && (await page.evaluate("document.readyState")) !== "complete"; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    return page;
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: unknown; error?: { message: string } };
      this.buffer = this.buffer.slice(end + 1);
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) continue;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** One DevTools command, to the page once attached (browser-level commands go without a session). */
  send(method: string, params: object = {}, browserLevel = false): Promise<any> {
    const id = this.nextId++;
    const message = { id, method, params, ...(this.sessionId && !browserLevel ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(message)}\0`);
    });
  }

  async evaluate(expression: string): Promise<unknown> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result.value;
  }

  /** A PNG of the whole page (beyond the window, as printed to a tall screen). */
  async screenshot(): Promise<Buffer> {
    const { data } = await this.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
    return Buffer.from(data as string, "base64");
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.send("Browser.close", {}, true).catch(() => {});
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
