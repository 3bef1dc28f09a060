import type { Redis } from "ioredis";

/*
 * Timelines and celebrity lists are sorted sets: score = createdAt in ms, member = the
 * post id zero-padded to 19 digits, so equal scores order by id. Each holds a sentinel
 * member "" whose score is its floor: entries at or below the floor may be missing (the
 * list was trimmed or built from the newest posts only); -1 means the list is complete.
 */

/**
 * One page window: KEYS[1] timeline, KEYS[2] the user's celebrity ids (comma separated);
 * ARGV prefix of celebrity lists, cursor score ('' for the first page), cursor member, want.
 * Returns nil on a miss, else { floor, score1, member1, ... } merged newest first.
 */
const read = `
local celebrities = redis.call('GET', KEYS[2])
if not celebrities then return false end
local want = tonumber(ARGV[4])
local from = ARGV[2] == '' and '+inf' or ARGV[2]
local cs = tonumber(ARGV[2])
local cm = ARGV[3]
local sources = { KEYS[1] }
for id in string.gmatch(celebrities, '[^,]+') do sources[#sources + 1] = ARGV[1] .. id end
local floor = -1
-- Parallel arrays per list (scores as numbers, members, raw scores): no table per entry.
local scores, members, raws, counts = {}, {}, {}, {}
for l, key in ipairs(sources) do
  local own = tonumber(redis.call('ZSCORE', key, ''))
  if own == nil then return false end
  if own > floor then floor = own end
  local s, m, r, n = {}, {}, {}, 0
  local offset, done = 0, false
  while not done do
    local chunk = redis.call('ZREVRANGEBYSCORE', key, from, '-inf', 'WITHSCORES', 'LIMIT', offset, want + 1)
    if #chunk == 0 then break end
    for i = 1, #chunk, 2 do
      local member, raw = chunk[i], chunk[i + 1]
      local score = tonumber(raw)
      if score <= own then done = true break end
      if cs == nil or score < cs or member < cm then
        n = n + 1
        s[n], m[n], r[n] = score, member, raw
        if n >= want then done = true break end
      end
    end
    offset = offset + want + 1
  end
  scores[l], members[l], raws[l], counts[l] = s, m, r, n
end
-- Each list is newest first already: merge them, dropping duplicates and stopping at the floor.
local out = { string.format('%d', floor) }
local heads = {}
for l = 1, #sources do heads[l] = 1 end
local last, count = nil, 0
while count < want do
  local best, bs, bm = nil, nil, nil
  for l = 1, #sources do
    local h = heads[l]
    if h <= counts[l] then
      local score, member = scores[l][h], members[l][h]
      if best == nil or score > bs or (score == bs and member > bm) then best, bs, bm = l, score, member end
    end
  end
  if best == nil or bs <= floor then break end
  local h = heads[best]
  heads[best] = h + 1
  if bm ~= last then
    out[#out + 1] = raws[best][h]
    out[#out + 1] = bm
    count = count + 1
    last = bm
  end
end
return out
`;

/** Adds one entry to an existing list (KEYS[1]) and trims it to ARGV[3] entries, raising its floor. */
const push = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local floor = tonumber(redis.call('ZSCORE', KEYS[1], ''))
if floor ~= nil and tonumber(ARGV[1]) <= floor then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local extra = redis.call('ZCARD', KEYS[1]) - 1 - tonumber(ARGV[3])
if extra > 0 then
  local cut = redis.call('ZRANGE', KEYS[1], extra, extra, 'WITHSCORES')
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra)
  redis.call('ZADD', KEYS[1], cut[2], '')
end
return 1
`;

/** Writes a whole list: ARGV mode ('replace', or 'absent' to keep an existing one), ttl ms, floor, then score/member pairs. */
const fill = `
if ARGV[1] == 'absent' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[3], '')
for i = 4, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * Caches a post body unless a newer version (or a tombstone) is there: KEYS[1]; ARGV
 * version ('d' for a tombstone), payload, ttl ms. Stored as "<version>|<payload>".
 */
const setBody = `
local current = redis.call('GET', KEYS[1])
if current then
  local version = string.match(current, '^([^|]*)|')
  if version == 'd' then return 0 end
  if ARGV[1] ~= 'd' and tonumber(version) >= tonumber(ARGV[1]) then return 0 end
end
if ARGV[3] == '0' then
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
end
return 1
`;

/** The client with the reference's scripts as commands (EVALSHA, falling back to EVAL). */
export type FeedRedis = Redis & {
  feedRead(timeline: string, celebrities: string, prefix: string, score: string, member: string, want: number): Promise<string[] | null>;
  feedPush(list: string, score: number, member: string, max: number): Promise<number>;
  feedFill(list: string, mode: "replace" | "absent", ttlMs: number, floor: number, ...pairs: (string | number)[]): Promise<number>;
  feedSetBody(key: string, version: number | "d", payload: string, ttlMs: number): Promise<number>;
};

/** The same as FeedRedis, queued on a pipeline. */
export type FeedPipeline = ReturnType<Redis["pipeline"]> & {
  feedPush(list: string, score: number, member: string, max: number): FeedPipeline;
  feedFill(list: string, mode: "replace" | "absent", ttlMs: number, floor: number, ...pairs: (string | number)[]): FeedPipeline;
  feedSetBody(key: string, version: number | "d", payload: string, ttlMs: number): FeedPipeline;
};

/** Defines the scripts on `redis` once (several services may share one client). */
export function withScripts(redis: Redis): FeedRedis {
  const client = redis as FeedRedis;
  if (typeof client.feedRead !== "function") {
    redis.defineCommand("feedRead", { numberOfKeys: 2, lua: read });
    redis.defineCommand("feedPush", { numberOfKeys: 1, lua: push });
    redis.defineCommand("feedFill", { numberOfKeys: 1, lua: fill });
    redis.defineCommand("feedSetBody", { numberOfKeys: 1, lua: setBody });
  }
  return client;
}
