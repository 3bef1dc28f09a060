import net from "node:net";

/** Sends one raw RESP command and resolves with the first reply line, or a whole bulk reply (`$<n>`); no client library needed. */
export function redisRawCommand(host: string, port: number, command: string[], timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("timed out"));
    }, timeoutMs);
    socket.on("connect", () => {
      socket.write(`*${command.length}\r\n${command.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`);
    });
    socket.on("data", (chunk) => {
      data += chunk.toString();
      if (replyComplete(data)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data);
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** A first line, or for a bulk string all `<n>` bytes after it and the closing CRLF. */
function replyComplete(data: string): boolean {
  const bulk = /^\$(\d+)\r\n/.exec(data);
  if (!bulk) return data.includes("\r\n");
  return Buffer.byteLength(data) >= bulk[0].length + Number(bulk[1]) + 2;
}
