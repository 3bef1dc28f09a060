import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { lint } from "./lint.ts";
import { holdTransaction, indexes, legacyApp, load, runPhase, seed } from "./implementation.ts";

graded(
  "indexes.unique-email",
  { points: 3, timeoutMs: 10_000, hint: "Expand ends with a valid unique index users_email_key on users (email), built CONCURRENTLY." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin);
    await runPhase(impl, t.postgres(), impl.createPlan().expand);
    const found = (await indexes(admin)).find((index) => index.name === "users_email_key");
    expect(found, "index users_email_key after expand").toMatchObject({ unique: true, valid: true, partial: false, columns: ["email"] });
    let code: string | undefined;
    await legacyApp(admin)
      .create({ name: "Copycat", email: "user1@example.com" })
      .catch((error: { code?: string }) => (code = error.code));
    expect(code, "the old app inserting an email that exists, after expand").toBe("23505");
  },
);

graded("indexes.concurrently", { points: 2, hint: "CREATE INDEX without CONCURRENTLY blocks every write for the whole build; so does ADD CONSTRAINT ... UNIQUE without USING INDEX." }, async (t) => {
  const impl = await load(t);
  expect(lint(impl.createPlan(), ["index-concurrently", "unique-via-index", "one-statement-concurrently"]), "lint violations (README rules L1, L2, L3)").toEqual([]);
});

graded(
  "indexes.rebuilds-invalid",
  { points: 4, timeoutMs: 12_000, hint: "A failed CREATE INDEX CONCURRENTLY leaves an INVALID index with the same name; IF NOT EXISTS then skips it forever. Check pg_index.indisvalid and drop it (CONCURRENTLY) first." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin);
    // A previous deploy's build that timed out behind a long request.
    const request = await holdTransaction(admin, "write", 3000);
    const builder = await admin.connect();
    let code: string | undefined;
    try {
      await builder.query("SET lock_timeout = 100");
      await builder.query("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)").catch((error: { code?: string }) => (code = error.code));
      await builder.query("RESET lock_timeout");
    } finally {
      builder.release();
      await request.release();
    }
    expect({ code, index: (await indexes(admin)).find((index) => index.name === "users_email_key")?.valid }, "the suite's failed build (setup)").toEqual({ code: "55P03", index: false });
    const pool = t.postgres();
    await runPhase(impl, pool, impl.createPlan().expand);
    const all = await indexes(admin);
    expect(all.find((index) => index.name === "users_email_key"), "users_email_key after expand, when a failed build had left it INVALID").toMatchObject({ unique: true, valid: true, columns: ["email"] });
    expect(all.filter((index) => !index.valid).map((index) => index.name), "INVALID indexes left on users").toEqual([]);
  },
);
