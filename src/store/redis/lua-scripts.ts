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
 * set     KEYS value, links  ARGV value, pxat (0: no expiry), mode ('keep'|'replace'|'existing':
 *                            keep the links, and write only if the entry exists),
 *                            wantOld ('1': return the previous value), n, link ids
 *         -> { previous value (or false), previous link ids }
 * del     KEYS value, links  ARGV wantOld -> { previous value (or false), previous link ids,
 *                            1 if the entry existed else 0 }
 * link    KEYS value, links  ARGV link id -> 1 if linked anew (only existing entries)
 * unlink  KEYS links         ARGV link id -> 1 if it was linked
 * zadd    KEYS index         ARGV score, member, link id, mode ('nx': keep an existing score;
 *                            'auto': keep it only if the last 'set' had this link already) -> 0
 * zrem    KEYS index         ARGV member -> removed count
 * reg     KEYS registry      ARGV a, a x (score, member), r, r x member -> 0
 *                            (the final registry state of every entry the plan wrote or deleted)
 * keep    KEYS value, links, n x index
 *                            ARGV now, ttl (-1: no expiry), n, n x (ttl, how, link id, link-set prefix)
 *                            -> 1 if the entry's expiry changed. A store batch's keepAlive: the entry
 *                            lives at least ttl from now, or an index's ttl while it holds a member.
 *                            how 'prove' (standalone): a member counts only while its link set still
 *                            carries the link (checked newest first; stale ones met are dropped, as
 *                            VALIDATE_PRUNE does); 'count': any member counts (Cluster, where the link
 *                            sets live in other slots); 'held': counts without looking (an index in
 *                            another slot than the entry).
 */
export const APPLY = script(`
local results = {}
local k, a = 1, 2
local lastLinks = {}
-- unpack() is bounded by the Lua C stack: send long argument runs in chunks.
local function chunked(command, key, from, count, width)
  local last = from + count * width - 1
  while from <= last do
    local to = math.min(last, from + 2000 * width - 1)
    redis.call(command, key, unpack(ARGV, from, to))
    from = to + 1
  end
end
local function expire(lkey, pxat)
  if pxat > 0 then redis.call('PEXPIREAT', lkey, pxat) else redis.call('PERSIST', lkey) end
end
-- KeyLayout.tagged: a key with a non-empty hash tag is written '#key', any other '{key}'.
local function tagged(key)
  local open = string.find(key, '{', 1, true)
  if open then
    local close = string.find(key, '}', open + 1, true)
    if close and close > open + 1 then return '#' .. key end
  end
  return '{' .. key .. '}'
end
-- Whether an index holds a member that still carries the link (see 'keep').
local function referenced(ikey, how, id, lprefix)
  if how == 'held' then return true end
  if how == 'count' then return redis.call('ZCARD', ikey) > 0 end
  while true do
    local newest = redis.call('ZRANGE', ikey, 0, 15, 'REV')
    if #newest == 0 then return false end
    for _, member in ipairs(newest) do
      if redis.call('SISMEMBER', lprefix .. tagged(member), id) == 1 then return true end
      redis.call('ZREM', ikey, member)
    end
  end
end
for i = 1, tonumber(ARGV[1]) do
  local op = ARGV[a]; a = a + 1
  if op == 'set' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local value, pxat, mode, wantOld, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4]); a = a + 5
    local old = false
    if wantOld == '1' or mode == 'existing' then old = redis.call('GET', vkey) end
    local oldLinks = redis.call('SMEMBERS', lkey)
    -- 'existing': write only over a live entry (a patch must not bring back one deleted meanwhile)
    local skip = mode == 'existing' and not old
    if skip then
    elseif pxat > 0 then redis.call('SET', vkey, value, 'PXAT', pxat) else redis.call('SET', vkey, value) end
    lastLinks = {}
    for _, id in ipairs(oldLinks) do lastLinks[id] = true end
    local same = mode ~= 'replace' or n == #oldLinks
    if mode == 'replace' and same then
      for j = a, a + n - 1 do
        if not lastLinks[ARGV[j]] then same = false; break end
      end
    end
    if same then
      -- links unchanged: only their expiry follows the value's
      if #oldLinks > 0 then expire(lkey, pxat) end
    else
      if #oldLinks > 0 then redis.call('DEL', lkey) end
      if n > 0 then
        chunked('SADD', lkey, a, n, 1)
        if pxat > 0 then redis.call('PEXPIREAT', lkey, pxat) end
      end
    end
    a = a + n
    results[i] = { old, oldLinks }
  elseif op == 'del' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local old = false
    if ARGV[a] == '1' then old = redis.call('GET', vkey) end
    a = a + 1
    local oldLinks = redis.call('SMEMBERS', lkey)
    local existed = redis.call('DEL', vkey)
    if #oldLinks > 0 then redis.call('DEL', lkey) end
    results[i] = { old, oldLinks, existed }
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
    local added = tonumber(ARGV[a]); a = a + 1
    if added > 0 then chunked('ZADD', rkey, a, added, 2) end
    a = a + added * 2
    local removed = tonumber(ARGV[a]); a = a + 1
    if removed > 0 then chunked('ZREM', rkey, a, removed, 1) end
    a = a + removed
    results[i] = 0
  elseif op == 'keep' then
    local vkey, lkey = KEYS[k], KEYS[k + 1]; k = k + 2
    local now, wanted, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]); a = a + 3
    local at = redis.call('PEXPIRETIME', vkey)
    for j = 1, n do
      local ikey = KEYS[k]; k = k + 1
      local ttl = tonumber(ARGV[a])
      if at ~= -2 and wanted ~= -1 and (ttl == -1 or ttl > wanted)
        and referenced(ikey, ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]) then wanted = ttl end
      a = a + 4
    end
    local changed = 0
    if at == -2 then
      -- no entry: nothing to keep
    elseif wanted == -1 then
      if at ~= -1 then
        redis.call('PERSIST', vkey); redis.call('PERSIST', lkey); changed = 1
      end
    elseif at == -1 or now + wanted > at + math.min(1000, wanted / 10) then
      local pxat = now + math.ceil(wanted)
      redis.call('PEXPIREAT', vkey, pxat); redis.call('PEXPIREAT', lkey, pxat); changed = 1
    end
    results[i] = changed
  else
    return redis.error_reply('botcache: unknown operation ' .. tostring(op))
  end
end
return results
`);

/**
 * Evicts entries picked from the registry, but only those nobody touched since they were picked:
 * KEYS[1] the registry, then value and link-set keys in pairs; ARGV the members and the registry
 * scores they were picked at. An entry rewritten (or read, under lru) in between has a newer score
 * and stays. Standalone only (the registry and the entries are in different Cluster slots).
 * -> for each member: false if it stayed, else { false, previous link ids, 1 if a value existed }
 */
export const EVICT = script(`
local out = {}
for i = 1, #ARGV / 2 do
  local member, picked = ARGV[i * 2 - 1], ARGV[i * 2]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) == tonumber(picked) then
    local vkey, lkey = KEYS[i * 2], KEYS[i * 2 + 1]
    local links = redis.call('SMEMBERS', lkey)
    local existed = redis.call('DEL', vkey)
    if #links > 0 then redis.call('DEL', lkey) end
    redis.call('ZREM', KEYS[1], member)
    out[i] = { false, links, existed }
  else
    out[i] = false
  end
end
return out
`);

/**
 * Cluster half of an eviction, in the registry's slot: removes the picked members whose score is
 * still the one they were picked at. ARGV: member, score pairs -> the members removed.
 */
export const CLAIM = script(`
local out = {}
for i = 1, #ARGV / 2 do
  local member, picked = ARGV[i * 2 - 1], ARGV[i * 2]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) == tonumber(picked) then
    redis.call('ZREM', KEYS[1], member)
    out[#out + 1] = member
  end
end
return out
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

/**
 * VALIDATE and, in the same step, drops the members that are no longer linked. Checking and removing
 * together matters: a separate ZREM could remove a member that another process re-linked in between.
 * KEYS[1] index, KEYS[2..] the members' link sets (same slot as the index); ARGV[1] link id, ARGV[2..] members.
 */
export const VALIDATE_PRUNE = script(`
local out = {}
for i = 2, #KEYS do
  local linked = redis.call('SISMEMBER', KEYS[i], ARGV[1])
  out[i - 1] = linked
  if linked == 0 then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return out
`);

/** Releases a lock only if it still holds this token (never a lock someone took after ours expired). */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Every script the store runs: the only Lua bodies it ever sends to a server. */
export const SCRIPTS: readonly LuaScript[] = Object.freeze([
  APPLY,
  EVICT,
  CLAIM,
  VALIDATE,
  VALIDATE_PRUNE,
  GET_ENTRY,
  RELEASE_LOCK,
]);
