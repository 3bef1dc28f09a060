/**
 * The shared state of one breaker, kept in three keys and changed only by these scripts:
 * a hash (s: 0 closed, 1 open, 2 half-open; u: open until, server ms; g: generation;
 * f: failures in the window; k: probe successes), a list of the window's outcomes
 * (newest first, "1" a failure) and a sorted set of the probes in flight (score: when
 * their permit lapses). Every script reads the server's clock, so the fleet shares one.
 */

/** Ways a script can be wrong; the reference has none. Each mistake in mistakes/ sets one. */
export interface ScriptFlaws {
  /** Opens only above failureRate, not at it. */
  strictThreshold?: boolean;
  /** Never drops the oldest outcome: counts every outcome since the window was reset. */
  cumulative?: boolean;
  /** Measures the open period from the first failure in the window, not from the opening. */
  openFromFirstFailure?: boolean;
  /** A failure recorded while open opens the breaker again, restarting the timer. */
  failureWhileOpenRestartsTimer?: boolean;
  /** A failed probe reopens the breaker with the old open timer. */
  failedProbeKeepsTimer?: boolean;
}

const clock = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: hash, window, probes. ARGV: permits, probe id, permit lease ms. Returns {state, open ms left, generation, probe granted}. */
export function admitLua(): string {
  return `${clock}
local h = redis.call('HMGET', KEYS[1], 's', 'u', 'g')
local s, u, g = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
if s == 0 then return {0, 0, g, 0} end
if s == 1 then
  if now < u then return {1, u - now, g, 0} end
  s = 2
  g = g + 1
  redis.call('HSET', KEYS[1], 's', 2, 'g', g, 'k', 0)
  redis.call('DEL', KEYS[3])
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[2])
  return {2, 0, g, 1}
end
return {2, 0, g, 0}
`;
}

/**
 * KEYS: hash, window, probes. ARGV: outcomes ('0' success, '1' failure: one per call, in
 * the order they settled; a probe sends one), probe (1/0), generation, probe id,
 * windowSize, minimumCalls, failureRate, openMs, halfOpenSuccesses.
 * Returns {state, open ms left, generation}. The closed path is the hot one: it reads the
 * clock only when the breaker opens, and takes the window's length from LPUSH. Outcomes
 * that arrive after the breaker opened in the same batch are dropped, as they would be
 * one by one.
 */
export function recordLua(flaws: ScriptFlaws = {}): string {
  return `
local h = redis.call('HMGET', KEYS[1], 's', 'g', 'f')
local s, g = tonumber(h[1]) or 0, tonumber(h[2]) or 0
local outcomes = ARGV[1]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function open(from)
  s = 1
  g = g + 1
  redis.call('HSET', KEYS[1], 's', 1, 'u', from + tonumber(ARGV[8]), 'g', g, 'f', 0, 'k', 0)
  redis.call('HDEL', KEYS[1], 'ff')
  redis.call('DEL', KEYS[2], KEYS[3])
  return {1, tonumber(ARGV[8]), g}
end
if s == 0 then
  if ARGV[2] == '1' then return {0, 0, g} end
  local f = tonumber(h[3]) or 0
  local size, minimum, rate = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
  for i = 1, #outcomes do
    local failed = string.byte(outcomes, i) == 49
    local n = redis.call('LPUSH', KEYS[2], failed and '1' or '0')
    if failed then
      f = f + 1
      ${flaws.openFromFirstFailure ? "redis.call('HSETNX', KEYS[1], 'ff', now())" : ""}
    end
    ${flaws.cumulative ? "" : `if n > size then
      n = n - 1
      if redis.call('RPOP', KEYS[2]) == '1' then f = f - 1 end
    end`}
    if n >= minimum and f / n ${flaws.strictThreshold ? ">" : ">="} rate then
      ${flaws.openFromFirstFailure ? "local t = now() local first = tonumber(redis.call('HGET', KEYS[1], 'ff')) or t open(first) return {1, math.max(first + tonumber(ARGV[8]) - t, 0), g}" : "return open(now())"}
    end
  end
  redis.call('HSET', KEYS[1], 'f', f)
  return {0, 0, g}
end
local t = now()
local failed = string.find(outcomes, '1', 1, true) ~= nil
if s == 2 and ARGV[2] == '1' and g == tonumber(ARGV[3]) and redis.call('ZREM', KEYS[3], ARGV[4]) == 1 then
  if failed then
    ${flaws.failedProbeKeepsTimer ? "s = 1 g = g + 1 redis.call('HSET', KEYS[1], 's', 1, 'g', g, 'f', 0, 'k', 0) redis.call('DEL', KEYS[2], KEYS[3])" : "return open(t)"}
  elseif redis.call('HINCRBY', KEYS[1], 'k', 1) >= tonumber(ARGV[9]) then
    g = g + 1
    redis.call('HSET', KEYS[1], 's', 0, 'g', g, 'f', 0, 'k', 0)
    redis.call('DEL', KEYS[2], KEYS[3])
    return {0, 0, g}
  end
end
if s == 1 then
  ${flaws.failureWhileOpenRestartsTimer ? "if failed and ARGV[2] == '0' then return open(t) end" : ""}
  return {1, math.max((tonumber(redis.call('HGET', KEYS[1], 'u')) or 0) - t, 0), g}
end
return {s, 0, g}
`;
}

/** KEYS: hash. Returns 0 closed, 1 open, 2 half-open (an open breaker whose time is up is half-open). */
export function stateLua(): string {
  return `${clock}
local h = redis.call('HMGET', KEYS[1], 's', 'u')
local s, u = tonumber(h[1]) or 0, tonumber(h[2]) or 0
if s == 1 and now >= u then return 2 end
return s
`;
}
