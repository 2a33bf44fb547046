#pragma once

// How queue mode lays out Redis (docs/broker.md, "Keys"): one stream per
// workflow and event source, its dead letters beside it, a key per delivery
// id within its dedupe window, and an event's fields in a stream entry.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../store/append_waiter.hpp"
#include "../store/journal.hpp"
#include "resp_reply.hpp"

namespace nb::host {

// The consumer group every worker reads in.
inline constexpr const char *kWorkerGroup = "nb-workers";

struct StreamKeys {
    std::string stream;  // nb:WORKFLOW:NODE
    std::string dead;    // nb:WORKFLOW:NODE:dead
    std::string seen;    // nb:WORKFLOW:NODE:seen: (a delivery id follows)
};
StreamKeys stream_keys(std::string_view workflow, std::string_view node);

// A stream entry id MS-SEQ as one number, MS * 2^20 + SEQ, for the ABI's
// 64-bit event id (NB_EXT_RUN_EVENT); nothing when it does not fit (SEQ of a
// million or more within one millisecond).
std::optional<std::uint64_t> entry_number(std::string_view entry_id);
std::string entry_id_of(std::uint64_t number);

// XADD's field-value pairs for `record`: views of it, and of the texts of
// when it was accepted (Unix ms) and its dedupe window, which must outlive
// them.
struct EntryPairs {
    std::array<std::pair<std::string_view, std::string_view>, 9> pairs;
    std::size_t count = 0;
};
EntryPairs entry_pairs(const EventRecord &record, std::string_view accepted_ms, std::string_view window);

// An entry's fields (the pairs XRANGE or XREADGROUP return) read back;
// `node` and `id` are set by the caller. Unknown fields are ignored; missing
// ones are empty.
struct EntryFields {
    EventFields event;
    std::int64_t accepted_ms = 0;
    // A dead letter's own: the entry it was, the last run's error, its runs,
    // when it was given up (Unix ms).
    std::string entry, error;
    std::uint32_t attempts = 0;
    std::int64_t failed_ms = 0;
};
EntryFields read_fields(RedisArray pairs);

}  // namespace nb::host
