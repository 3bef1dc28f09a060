import type { Plan, Step } from "../../challenges/zero-downtime-migration/src/index.ts";

/** Keeps `full_name` and `name` equal whichever one a version writes; removed in contract. */
const syncFunction = `CREATE OR REPLACE FUNCTION users_sync_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.full_name IS NULL THEN
      NEW.full_name := NEW.name;
    ELSIF NEW.name IS NULL THEN
      NEW.name := NEW.full_name;
    END IF;
  ELSIF NEW.name IS DISTINCT FROM OLD.name AND NEW.full_name IS NOT DISTINCT FROM OLD.full_name THEN
    NEW.full_name := NEW.name;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name AND NEW.name IS NOT DISTINCT FROM OLD.name THEN
    NEW.name := NEW.full_name;
  END IF;
  RETURN NEW;
END
$$`;

export const referenceExpand: Step[] = [
  { name: "add-full-name", sql: "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text", transactional: true },
  {
    name: "sync-trigger",
    sql: `${syncFunction};
DROP TRIGGER IF EXISTS users_sync_full_name ON users;
CREATE TRIGGER users_sync_full_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_full_name()`,
    transactional: true,
  },
  {
    name: "email-not-null-check",
    sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null, ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID",
    transactional: true,
  },
  { name: "validate-email-check", sql: "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null", transactional: true },
  { name: "email-unique-index", sql: "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)", transactional: false },
];

export const referenceContract: Step[] = [
  // One transaction: without the trigger a v2 insert would leave `name` null, and with `name` gone the trigger would fail.
  {
    name: "drop-name",
    sql: "DROP TRIGGER IF EXISTS users_sync_full_name ON users; DROP FUNCTION IF EXISTS users_sync_full_name(); ALTER TABLE users DROP COLUMN IF EXISTS name",
    transactional: true,
  },
  {
    name: "full-name-not-null-check",
    sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_full_name_not_null, ADD CONSTRAINT users_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID",
    transactional: true,
  },
  { name: "validate-full-name-check", sql: "ALTER TABLE users VALIDATE CONSTRAINT users_full_name_not_null", transactional: true },
  // SET NOT NULL finds the validated checks and skips its table scan (Postgres 12+).
  { name: "set-not-null", sql: "ALTER TABLE users ALTER COLUMN full_name SET NOT NULL, ALTER COLUMN email SET NOT NULL", transactional: true },
  {
    name: "drop-checks",
    sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_full_name_not_null, DROP CONSTRAINT IF EXISTS users_email_not_null",
    transactional: true,
  },
];

/** The plan with some steps swapped or removed by name (how each mistake is the reference with one flaw). */
export function planWith(changes: Record<string, Step | Step[] | null> = {}, base: Plan = { expand: referenceExpand, contract: referenceContract }): Plan {
  const apply = (steps: Step[]) => steps.flatMap((step) => (step.name in changes ? [changes[step.name]].flat().filter((s): s is Step => s !== null && s !== undefined) : [step]));
  return { expand: apply(base.expand), contract: apply(base.contract) };
}

export function createPlan(): Plan {
  return planWith();
}
