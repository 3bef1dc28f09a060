/** One row of the hint table: a raw error shape and what to do about it. */
interface HintRule {
  test: RegExp;
  hint: string;
}

/**
 * Learner-facing hints keyed on raw error text, in one table so every suite shares them.
 * The first matching rule wins, so specific rules come first.
 */
const hintRules: HintRule[] = [
  { test: /InconclusiveTiming|machine stalled/, hint: "The grader could not keep time on this machine (it was busy). Close heavy programs and grade again; this is not about your code." },
  { test: /NotImplementedError/, hint: "This part still throws NotImplementedError: replace the stub's body with your implementation." },
  { test: /SolutionImportError|Transform failed|SyntaxError|Expected .* but found/, hint: "Your file does not load. Fix the error above (run `npm run typecheck` to see it with its line), then grade again." },
  { test: /MissingExportError/, hint: "Keep the stub's exported names and signatures: the grader imports them by name." },
  { test: /ECONNREFUSED/, hint: "Redis or Postgres refused the connection. Use the client you were given; don't open your own connections or call quit() on it." },
  { test: /Connection is closed|Stream isn't writeable/, hint: "The Redis connection was closed or is down. Don't call quit()/disconnect() on the injected client, and handle Redis errors where the spec says so." },
  { test: /NOSCRIPT/, hint: "Redis forgot the script (SCRIPT FLUSH, a restart or failover). Fall back to EVAL or reload it on NOSCRIPT; ioredis defineCommand does this for you." },
  { test: /CROSSSLOT/, hint: "Keys used together must hash to one slot: put the shared part in braces, e.g. ratelimit:{user42}:log." },
  { test: /WRONGTYPE/, hint: "A key holds a different Redis type than the command expects: two code paths write different types to the same key." },
  { test: /ERR Error running script|ERR user_script|@user_script/, hint: "Your Lua script failed inside Redis. Check the line it names; remember Lua arrays start at 1 and ARGV values are strings (use tonumber)." },
  { test: /23505|duplicate key value violates unique constraint/, hint: "A unique constraint fired (SQLSTATE 23505): handle the conflict (ON CONFLICT, or catch it and answer 409)." },
  { test: /is not a function/, hint: "Something you call is not a function: check the export names and that you return the object shape the spec describes." },
  { test: /Cannot read properties of (undefined|null)/, hint: "A value was undefined: check what Redis returns for missing keys (null) and the RESP2 reply shapes (flat arrays)." },
  { test: /process\.exit/, hint: "Never call process.exit() from library code: throw or reject instead, and let the caller decide." },
  { test: /Unhandled ?Rejection|unhandled rejection/i, hint: "A promise rejected with nobody listening: await every promise you start, or attach .catch() to the ones you fire and forget." },
  { test: /Test timed out|did not finish/, hint: "The call never settled. Look for a promise that never resolves, a missing await, or a callback that is never called." },
];

/** The hint for a raw error, if any rule knows it. */
export function hintFor(text: string): string | undefined {
  return hintRules.find((rule) => rule.test.test(text))?.hint;
}
