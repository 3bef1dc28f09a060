import type { InstrumentedPool } from "../../../harness/testing/index.ts";

/**
 * The limit of a test that installs the probes (DDL on every table) and opens banks: under
 * 1 s on a quiet machine, 3.4 to 3.7 s with a grade in containers starting or two grades
 * alongside. Only a hang reaches it.
 */
export const probedTimeoutMs = 8000;

/**
 * The suite's own statement trigger, put on every table of the public schema that the
 * implementation's migrate() created. It writes nothing to those tables: it records the
 * isolation level of each writing statement, and can fail the next writes with an
 * injected SQLSTATE, as Postgres itself would.
 */
export async function installProbes(admin: InstrumentedPool): Promise<string[]> {
  await admin.query(`
    CREATE TABLE IF NOT EXISTS katas_probe_log (isolation text NOT NULL);
    CREATE TABLE IF NOT EXISTS katas_probe_fail (code text NOT NULL, upto bigint NOT NULL);
    CREATE SEQUENCE IF NOT EXISTS katas_probe_writes;
    CREATE OR REPLACE FUNCTION katas_probe() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE failing record;
    BEGIN
      INSERT INTO katas_probe_log (isolation) VALUES (current_setting('transaction_isolation'));
      SELECT code, upto INTO failing FROM katas_probe_fail LIMIT 1;
      IF failing.code IS NOT NULL AND nextval('katas_probe_writes') <= failing.upto THEN
        RAISE EXCEPTION 'injected by the grader' USING ERRCODE = failing.code;
      END IF;
      RETURN NULL;
    END $$;`);
  const tables = await admin.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'katas\\_%'");
  for (const { name } of tables.rows) {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    await admin.query(`CREATE TRIGGER katas_probe BEFORE INSERT OR UPDATE OR DELETE ON ${quoted} FOR EACH STATEMENT EXECUTE FUNCTION katas_probe()`);
  }
  return tables.rows.map((row) => row.name);
}

/** Isolation levels of the writing statements since the last call, and forgets them. */
export async function writeLevels(admin: InstrumentedPool): Promise<string[]> {
  const result = await admin.query<{ isolation: string }>("DELETE FROM katas_probe_log RETURNING isolation");
  return result.rows.map((row) => row.isolation);
}

/** From now on, the first `upto` writing statements fail with `code`; the rest run. */
export async function injectFailures(admin: InstrumentedPool, code: string, upto: number): Promise<void> {
  await admin.query("DELETE FROM katas_probe_fail");
  await admin.query("SELECT setval('katas_probe_writes', 1, false)");
  await admin.query("INSERT INTO katas_probe_fail (code, upto) VALUES ($1, $2)", [code, upto]);
}

/** Stops injecting failures; returns how many writing statements ran into the injector (failed or not). */
export async function stopInjecting(admin: InstrumentedPool): Promise<number> {
  await admin.query("DELETE FROM katas_probe_fail");
  const result = await admin.query<{ last_value: string; is_called: boolean }>("SELECT last_value, is_called FROM katas_probe_writes");
  const row = result.rows[0]!;
  return row.is_called ? Number(row.last_value) : 0;
}
