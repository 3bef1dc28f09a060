/** The position of the last order of a page: created_at to the microsecond, then id. */
export interface Position {
  createdAt: string;
  id: number;
}

/** Opaque to clients: base64url of "<created_at as Postgres text>|<id>". */
export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.createdAt}|${position.id}`).toString("base64url");
}

export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
  readonly code = "INVALID_CURSOR";
  constructor() {
    super("cursor is not one this service issued");
  }
}

export function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = text.lastIndexOf("|");
  const id = Number(text.slice(bar + 1));
  if (bar <= 0 || !Number.isSafeInteger(id)) throw new InvalidCursorError();
  return { createdAt: text.slice(0, bar), id };
}
