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
 * KEYS: hash, window, probes. ARGV: failed (1/0), probe (1/0), generation, probe id,
 * windowSize, minimumCalls, failureRate, openMs, halfOpenSuccesses.
 * Returns {state, open ms left, generation}.
 */
export function recordLua(flaws: ScriptFlaws = {}): string {
  return `${clock}
local failed, isProbe = ARGV[1] == '1', ARGV[2] == '1'
local windowSize, minimumCalls, failureRate = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local openMs, successesNeeded = tonumber(ARGV[8]), tonumber(ARGV[9])
local h = redis.call('HMGET', KEYS[1], 's', 'u', 'g', 'f', 'ff')
local s, u, g = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
local function open(from)
  s = 1
  u = from + openMs
  g = g + 1
  redis.call('HSET', KEYS[1], 's', 1, 'u', u, 'g', g, 'f', 0, 'k', 0)
  redis.call('HDEL', KEYS[1], 'ff')
  redis.call('DEL', KEYS[2], KEYS[3])
end
local function close()
  s = 0
  g = g + 1
  redis.call('HSET', KEYS[1], 's', 0, 'g', g, 'f', 0, 'k', 0)
  redis.call('DEL', KEYS[2], KEYS[3])
end
if isProbe then
  if s == 2 and g == tonumber(ARGV[3]) and redis.call('ZREM', KEYS[3], ARGV[4]) == 1 then
    if failed then
      ${flaws.failedProbeKeepsTimer ? "s = 1 g = g + 1 redis.call('HSET', KEYS[1], 's', 1, 'g', g, 'f', 0, 'k', 0) redis.call('DEL', KEYS[2], KEYS[3])" : "open(now)"}
    elseif redis.call('HINCRBY', KEYS[1], 'k', 1) >= successesNeeded then
      close()
    end
  end
elseif s == 0 then
  local f = tonumber(h[4]) or 0
  redis.call('LPUSH', KEYS[2], failed and '1' or '0')
  if failed then
    f = redis.call('HINCRBY', KEYS[1], 'f', 1)
    ${flaws.openFromFirstFailure ? "if not h[5] then h[5] = tostring(now) redis.call('HSET', KEYS[1], 'ff', now) end" : ""}
  end
  ${flaws.cumulative ? "" : "if redis.call('LLEN', KEYS[2]) > windowSize and redis.call('RPOP', KEYS[2]) == '1' then f = redis.call('HINCRBY', KEYS[1], 'f', -1) end"}
  local n = redis.call('LLEN', KEYS[2])
  if n >= minimumCalls and f / n ${flaws.strictThreshold ? ">" : ">="} failureRate then
    open(${flaws.openFromFirstFailure ? "tonumber(h[5]) or now" : "now"})
  end
${flaws.failureWhileOpenRestartsTimer ? "elseif s == 1 and failed then open(now)" : ""}
end
if s == 1 then return {1, math.max(u - now, 0), g} end
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
