#pragma once

// The Lua scripts queue mode runs in Redis: each is one atomic step, which
// MULTI/EXEC cannot be when a command depends on another's result.

namespace nb::host {

// Ingest. KEYS[1] the stream, KEYS[2] the delivery id's key (absent: no
// dedupe). ARGV[1] --max-backlog, ARGV[2] the dedupe window in seconds,
// ARGV[3..] the entry's fields and values. Returns the new entry's id, 0
// for a duplicate, -1 when the stream holds --max-backlog entries. A
// duplicate is looked for first: its sender hears 200 even when the stream
// is full, and a refused event leaves no key behind.
inline constexpr const char *kIngestScript = R"lua(
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'EX', ARGV[2]) end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
)lua";

// A dead letter. KEYS[1] the stream, KEYS[2] its dead letters; ARGV[1] the
// group, ARGV[2] the entry id, ARGV[3] the last error, ARGV[4] the runs,
// ARGV[5] now (Unix ms). The entry's fields move with it, plus entry, error,
// attempts and failed_at. Returns 0 when the entry is gone (another worker
// finished it).
inline constexpr const char *kDeadLetterScript = R"lua(
local found = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #found == 0 then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
  return 0
end
local fields = found[1][2]
for _, v in ipairs({'entry', ARGV[2], 'error', ARGV[3], 'attempts', ARGV[4], 'failed_at', ARGV[5]}) do
  table.insert(fields, v)
end
redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
)lua";

// A replay (`nb-host journal replay --broker`). KEYS[1] the dead letters,
// KEYS[2] the stream; ARGV[1] the dead letter's id. The event goes back to
// the stream as a new entry, without the dead letter's own fields. Returns
// the new entry's id, or false when there is no such dead letter.
inline constexpr const char *kReplayScript = R"lua(
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return false end
local own = {entry = true, error = true, attempts = true, failed_at = true}
local kept = {}
local fields = found[1][2]
for i = 1, #fields, 2 do
  if not own[fields[i]] then
    table.insert(kept, fields[i])
    table.insert(kept, fields[i + 1])
  end
end
local id = redis.call('XADD', KEYS[2], '*', unpack(kept))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
)lua";

}  // namespace nb::host
