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
  if used <= 0 then
    redis.call('DEL', log, meta)
    used = 0
  else
    redis.call('HSET', meta, 'used', used)
  end
end

if used + cost <= limit then
  local seq = redis.call('HINCRBY', meta, 'seq', 1)
  redis.call('ZADD', log, now, seq .. ':' .. cost)
  used = redis.call('HINCRBY', meta, 'used', cost)
  -- Nothing in the log outlives the newest admission's window, so neither do the keys.
  redis.call('PEXPIRE', log, ARGV[2])
  redis.call('PEXPIRE', meta, ARGV[2])
  return { 1, limit - used, windowUs, 0 }
end

-- Denied: write nothing. The quota is whole again when the newest admission leaves.
local newest = redis.call('ZRANGE', log, -1, -1, 'WITHSCORES')
local resetUs = tonumber(newest[2]) + windowUs - now
-- This cost fits once enough of the oldest admissions have left; each costs at least 1,
-- so at most `needed` of them matter.
local needed = used + cost - limit
local oldest = redis.call('ZRANGE', log, 0, needed - 1, 'WITHSCORES')
local freed, retryUs = 0, resetUs
for i = 1, #oldest, 2 do
  freed = freed + costOf(oldest[i])
  if freed >= needed then
    retryUs = tonumber(oldest[i + 1]) + windowUs - now
    break
  end
end
return { 0, limit - used, resetUs, retryUs }
