-- Exact rolling-window limiter: a sliding log of admissions, decided atomically in Redis.
-- KEYS[1] sorted set of admissions (score: server time in microseconds, member: "<seq>:<cost>")
-- KEYS[2] hash with the running total of counted cost ("used") and a sequence ("seq")
-- ARGV[1] limit, ARGV[2] window in ms, ARGV[3] cost
-- Returns { allowed (1/0), remaining, resetUs, retryAfterUs }
local log, meta = KEYS[1], KEYS[2]
local limit = tonumber(ARGV[1])
local windowUs = tonumber(ARGV[2]) * 1000
local cost = tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local function costOf(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

-- An admission at s counts during (s, s + window]: drop everything at or before now - window.
local used = tonumber(redis.call('HGET', meta, 'used') or '0')
local expired = redis.call('ZRANGEBYSCORE', log, '-inf', now - windowUs)
if #expired > 0 then
  for i = 1, #expired do used = used - costOf(expired[i]) end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - windowUs)
end

local allowed = used + cost <= limit
if allowed then
  local seq = redis.call('HINCRBY', meta, 'seq', 1)
  redis.call('ZADD', log, now, seq .. ':' .. cost)
  used = used + cost
end

if used <= 0 then
  redis.call('DEL', log, meta)
  return { allowed and 1 or 0, limit, 0, 0 }
end

local oldestFirst = redis.call('ZRANGE', log, 0, -1, 'WITHSCORES')
local newest = tonumber(oldestFirst[#oldestFirst])
local resetUs = newest + windowUs - now

local retryUs = 0
if not allowed then
  -- Walk the oldest admissions until enough cost has left the window for this call to fit.
  local needed = used + cost - limit
  local freed = 0
  for i = 1, #oldestFirst, 2 do
    freed = freed + costOf(oldestFirst[i])
    if freed >= needed then
      retryUs = tonumber(oldestFirst[i + 1]) + windowUs - now
      break
    end
  end
end

redis.call('HSET', meta, 'used', used)
-- Nothing in the log outlives its newest admission's window, so neither do the keys.
local ttlMs = math.ceil(resetUs / 1000)
redis.call('PEXPIRE', log, ttlMs)
redis.call('PEXPIRE', meta, ttlMs)
return { allowed and 1 or 0, limit - used, resetUs, retryUs }
