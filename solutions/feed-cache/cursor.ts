/** A place in a feed: every item strictly after it (older, or as old with a smaller id) comes next. */
export interface Position {
  /** createdAt in milliseconds since the epoch. */
  ms: number;
  /** The post id, decimal. */
  id: string;
}

const shape = /^(\d{1,15}):(\d{1,19})$/;

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.ms}:${position.id}`).toString("base64url");
}

/** The position in a cursor this service issued; a TypeError for anything else. */
export function decodeCursor(cursor: unknown): Position {
  if (typeof cursor !== "string") throw new TypeError(`cursor must be a string from nextCursor, got ${typeof cursor}`);
  const match = shape.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match || Buffer.from(`${match[1]}:${match[2]}`).toString("base64url") !== cursor) {
    throw new TypeError(`cursor ${JSON.stringify(cursor.slice(0, 40))} was not issued by this service`);
  }
  return { ms: Number(match[1]), id: match[2]! };
}
