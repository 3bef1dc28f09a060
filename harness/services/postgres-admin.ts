import pg from "pg";

export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/** Runs one admin statement on its own short-lived connection. */
export async function postgresAdmin<T extends pg.QueryResultRow = pg.QueryResultRow>(connection: PostgresConnection, sql: string): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await client.query<T>(sql);
  } finally {
    await client.end();
  }
}

export async function postgresServerVersion(connection: PostgresConnection): Promise<string> {
  const result = await postgresAdmin<{ server_version: string }>(connection, "SHOW server_version");
  return result.rows[0]?.server_version.split(" ")[0] ?? "unknown";
}
