#pragma once

// What `nb-host journal --broker` reads from queue mode's Redis, and the one
// change it makes: dead letters moved back to their stream as new entries.
// Keys as stream_keys lays them out, for the workflow's name and node ids.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../store/journal_reader.hpp"
#include "broker_event_id.hpp"
#include "redis_link.hpp"
#include "stream_format.hpp"

namespace nb::host {

// pending: in its stream, not yet read by a worker; delivered: read by a
// worker and not acknowledged (running, waiting for a retry, or its worker
// stopped); failed: a dead letter.
enum class EntryState { pending, delivered, failed };

struct BrokerEntry {
    BrokerEventId id;
    EntryState state = EntryState::pending;
    std::uint32_t deliveries = 0;  // delivered: times read by a worker, the current one included
    EntryFields fields;
};

struct BrokerReplays {
    // Each dead letter replayed, and its new entry in the stream.
    std::vector<std::pair<BrokerEventId, BrokerEventId>> replayed;
    std::vector<BrokerEventId> already_pending;  // in the stream: left alone
    std::vector<BrokerEventId> unknown;          // neither: then nothing was replayed
    std::vector<BrokerEventId> gone;             // replayed by another meanwhile
};

struct NodeCounts {
    std::string node;               // empty for the total
    std::int64_t pending = 0;       // unfinished: entries of the stream (XLEN)
    std::int64_t delivered = 0;     // of those, read and not acknowledged
    std::int64_t failed = 0;        // dead letters
    std::set<std::string> consumers;  // the group's, by name
    std::optional<std::int64_t> oldest_pending_at;  // accepted_at of the stream's first entry
};

struct BrokerStats {
    std::vector<NodeCounts> nodes;  // those with a stream or dead letters, in the workflow's order
    NodeCounts total;               // a consumer reading several streams counts once
};

// Throws RedisReplyError when Redis refuses a command (a key of another
// type), BrokerLost when the link fails.
class BrokerReader {
public:
    BrokerReader(RedisLink &link, std::string workflow, std::vector<std::string> nodes);

    // Oldest accepted first; `since` (Unix ms) keeps those accepted at or
    // after it. EventFilter::pending: every unfinished entry, delivered or not.
    std::vector<BrokerEntry> list(EventFilter filter, std::optional<std::int64_t> since);
    // Nothing for an unknown id.
    std::optional<BrokerEntry> show(const BrokerEventId &id);
    // Every id is looked up first: with one unknown, nothing is replayed.
    BrokerReplays replay(const std::vector<BrokerEventId> &ids);
    // Every dead letter of the workflow.
    BrokerReplays replay_failed();
    BrokerStats stats();

private:
    // The entry `id` of `key`'s stream, read back; nothing when absent.
    std::optional<EntryFields> entry_at(const std::string &key, const std::string &id);
    // By entry id from `first` to `last`: the times each entry of `stream`
    // in the group's pending list was delivered.
    std::map<std::string, std::uint32_t> deliveries(const std::string &stream, const std::string &first,
                                                    const std::string &last);
    void replay_each(const std::vector<BrokerEventId> &dead, BrokerReplays &out);

    RedisLink &link_;
    std::string workflow_;
    std::vector<std::string> nodes_;
};

}  // namespace nb::host
