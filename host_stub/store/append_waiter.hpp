#pragma once

// What an append hands the journal: the event to store, and whom to tell.

#include <cstdint>
#include <optional>
#include <string_view>

namespace nb::host {

// An event as the journal stores it; the views are borrowed (see append).
struct EventRecord {
    std::string_view node;  // the source node's workflow id
    std::string_view method, path, remote_addr, headers_json, query_json, body;
    std::optional<std::string_view> delivery_id;  // the sender's, when it gave one
    std::uint32_t dedupe_window_s = 0;            // 0: never a duplicate
};

// One append's owner: what to store, and whom to tell. Exactly one of
// stored, duplicate, full or failed is called, once, on the store's thread
// (the journal's acknowledger, a broker ingest lane; or the closing thread),
// after which the store destroys it. They must not block and must not call
// back into the Journal except finished, failed_run and forget.
class AppendWaiter {
public:
    virtual ~AppendWaiter() = default;
    // Valid until the waiter is told.
    virtual EventRecord record() const = 0;
    // Committed (and synced, with --journal-sync full), with its journal id.
    virtual void stored(std::int64_t id) noexcept = 0;
    // Its delivery id was stored for its node within the window: nothing stored.
    virtual void duplicate() noexcept = 0;
    // Not stored: why, for the call only (disk full, I/O error, journal full,
    // closing, a sync that failed).
    virtual void failed(const char *why) noexcept = 0;
    // Not stored because the store holds all it may (the broker's
    // --max-backlog): a sender should retry later. Why, for the call only.
    virtual void full(const char *why) noexcept { failed(why); }
};

}  // namespace nb::host
