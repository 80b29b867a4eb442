import { createHash } from 'node:crypto';

/** A Lua script run with EVALSHA (keys and values only ever travel as KEYS/ARGV, never in the source). */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Applies a list of primitive operations atomically. ARGV[1] is the operation count; each operation
 * then reads its name, its arguments from ARGV and its keys from KEYS, in order. On a standalone
 * server a whole batch is one call; on Cluster each call holds the operations of one slot.
 *
 * set     KEYS value, links  ARGV value, pxat (0: no expiry), mode ('keep'|'replace'), n, link ids
 *         -> { previous value or false, previous link ids }
 * del     KEYS value, links  -> { previous value or false, previous link ids }
 * link    KEYS value, links  ARGV link id -> 1 if linked anew (only existing entries)
 * unlink  KEYS links         ARGV link id -> 1 if it was linked
 * zadd    KEYS index         ARGV score, member, link id, mode ('nx': keep an existing score;
 *                            'auto': keep it only if the last 'set' had this link already) -> 0
 * zrem    KEYS index|registry ARGV member -> removed count
 * reg     KEYS registry      ARGV score, member -> 0 (last write / access time)
 */
export const APPLY = script(`
local results = {}
local k, a = 1, 2
local lastLinks = {}
for i = 1, tonumber(ARGV[1]) do
  local op = ARGV[a]; a = a + 1
  if op == 'set' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local value, pxat, mode, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3]); a = a + 4
    local old = redis.call('GET', vkey)
    local oldLinks = redis.call('SMEMBERS', lkey)
    if pxat > 0 then redis.call('SET', vkey, value, 'PXAT', pxat) else redis.call('SET', vkey, value) end
    if mode == 'replace' then
      redis.call('DEL', lkey)
      if n > 0 then redis.call('SADD', lkey, unpack(ARGV, a, a + n - 1)) end
    end
    a = a + n
    if redis.call('EXISTS', lkey) == 1 then
      if pxat > 0 then redis.call('PEXPIREAT', lkey, pxat) else redis.call('PERSIST', lkey) end
    end
    lastLinks = {}
    for _, id in ipairs(oldLinks) do lastLinks[id] = true end
    results[i] = { old, oldLinks }
  elseif op == 'del' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local old = redis.call('GET', vkey)
    local oldLinks = redis.call('SMEMBERS', lkey)
    redis.call('DEL', vkey, lkey)
    results[i] = { old, oldLinks }
  elseif op == 'link' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local id = ARGV[a]; a = a + 1
    local added = 0
    if redis.call('EXISTS', vkey) == 1 then
      added = redis.call('SADD', lkey, id)
      local at = redis.call('PEXPIRETIME', vkey)
      if at > 0 then redis.call('PEXPIREAT', lkey, at) end
    end
    results[i] = added
  elseif op == 'unlink' then
    local lkey = KEYS[k]; k = k + 1
    results[i] = redis.call('SREM', lkey, ARGV[a]); a = a + 1
  elseif op == 'zadd' then
    local ikey = KEYS[k]; k = k + 1
    local score, member, id, mode = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]; a = a + 4
    if mode == 'nx' or lastLinks[id] then
      redis.call('ZADD', ikey, 'NX', score, member)
    else
      redis.call('ZADD', ikey, score, member)
    end
    results[i] = 0
  elseif op == 'zrem' then
    local zkey = KEYS[k]; k = k + 1
    results[i] = redis.call('ZREM', zkey, ARGV[a]); a = a + 1
  elseif op == 'reg' then
    local rkey = KEYS[k]; k = k + 1
    redis.call('ZADD', rkey, ARGV[a], ARGV[a + 1]); a = a + 2
    results[i] = 0
  else
    return redis.error_reply('botcache: unknown operation ' .. tostring(op))
  end
end
return results
`);

/**
 * Which index members are still valid: KEYS are the members' link sets, ARGV[1] the index's link id.
 * A member is valid while its entry lives and still carries the link (the link set expires and is
 * deleted with its entry), so stale members left by expiry or by another slot's step never show.
 */
export const VALIDATE = script(`
local out = {}
for i, lkey in ipairs(KEYS) do out[i] = redis.call('SISMEMBER', lkey, ARGV[1]) end
return out
`);

/** Value and absolute expiry (ms, or -1) of one entry, read at one instant. */
export const GET_ENTRY = script(`
local value = redis.call('GET', KEYS[1])
if not value then return false end
return { value, redis.call('PEXPIRETIME', KEYS[1]) }
`);
