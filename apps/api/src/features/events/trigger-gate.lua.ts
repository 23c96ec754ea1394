/**
 * Redis scripts of the trigger path (SPEC §2.1). One script decides a request in one round trip:
 * the idempotency record first (a replay or a conflict consumes no quota), then the per-minute
 * GCRA bucket and the daily cap together (nothing is consumed unless both allow), then the
 * in-progress reservation. All keys of one call share the `{tenantId}` hash tag.
 *
 * KEYS: 1 GCRA TAT, 2 daily counter, 3 idempotency record ('' when unkeyed)
 * ARGV[9] = '0' reserves the record without touching the quota (the record of a whole bulk call,
 * whose events are charged one by one).
 */
export const ACQUIRE = `
local now = tonumber(ARGV[1])
local per_minute = tonumber(ARGV[2])
local capacity = math.max(tonumber(ARGV[3]), 1)
local daily_cap = tonumber(ARGV[4])
local day_reset_ms = tonumber(ARGV[5])
local body_hash = ARGV[6]
local reservation_ms = tonumber(ARGV[7])
local token = ARGV[8]
local charge = ARGV[9] == '1'

if KEYS[3] ~= '' then
  local record = redis.call('HMGET', KEYS[3], 'state', 'body', 'response')
  if record[1] then
    if record[2] ~= body_hash then return {'reused'} end
    if record[1] == 'pending' then return {'in_progress'} end
    return {'replay', record[3]}
  end
end

if not charge then
  redis.call('HSET', KEYS[3], 'state', 'pending', 'body', body_hash, 'token', token)
  redis.call('PEXPIRE', KEYS[3], reservation_ms)
  return {'ok', '0', '0'}
end

local interval = 60000 / per_minute
local tau = interval * (capacity - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tau then
  return {'limited', 'minute', tostring(math.ceil(tat - tau - now)), '0'}
end
local used_today = tonumber(redis.call('GET', KEYS[2]) or '0')
if used_today >= daily_cap then
  return {'limited', 'day', tostring(day_reset_ms), '0'}
end

local new_tat = tat + interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1000)
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], day_reset_ms + 3600000)
if KEYS[3] ~= '' then
  redis.call('HSET', KEYS[3], 'state', 'pending', 'body', body_hash, 'token', token)
  redis.call('PEXPIRE', KEYS[3], reservation_ms)
end
local remaining = math.floor((now + tau + interval - new_tat) / interval)
local reset = 0
if remaining < 1 then reset = math.ceil(new_tat - tau - now) end
return {'ok', tostring(remaining), tostring(reset)}
`;

/** Promotes this request's reservation to the record that answers repeats for the window. */
export const COMPLETE = `
local token = redis.call('HGET', KEYS[1], 'token')
if token and token ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'body', ARGV[2], 'response', ARGV[3], 'token', ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
`;

/**
 * A failed publish: frees this request's reservation (if still its own) and gives back the quota
 * it took, so a 503 is not charged. KEYS: 1 GCRA TAT, 2 daily counter, 3 idempotency record or ''.
 */
export const RELEASE = `
if KEYS[3] ~= '' then
  local record = redis.call('HMGET', KEYS[3], 'state', 'token')
  if record[1] == 'pending' and record[2] == ARGV[2] then redis.call('DEL', KEYS[3]) end
end
if ARGV[3] == '0' then return 1 end
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat then
  local ttl = redis.call('PTTL', KEYS[1])
  redis.call('SET', KEYS[1], tostring(tat - 60000 / tonumber(ARGV[1])), 'PX', math.max(ttl, 1))
end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
if used > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;
