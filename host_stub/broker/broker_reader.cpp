#include "broker_reader.hpp"

#include <algorithm>

#include "scripts.hpp"

namespace nb::host {
namespace {

// Entries per XRANGE, XPENDING or pipeline of replays: a backlog of any size
// is read in bounded replies.
constexpr std::size_t kPage = 1000;
const std::string kPageText = std::to_string(kPage);

// XPENDING's and XINFO's refusal for a stream no worker read yet (no group,
// or no stream beside its dead letters): nothing delivered, no consumers.
bool no_group(const std::string &error) {
    return error.rfind("NOGROUP", 0) == 0 || error.rfind("ERR no such key", 0) == 0;
}

// Calls `each(id, element)` for every element of a range's answer (XRANGE's
// entries, XPENDING's extended form: each an array that starts with an entry
// id), a page at a time: `command(start)` asks for the page from `start`.
template <typename Command, typename Each>
void for_each_in_range(RedisLink &link, std::string start, Command command, Each each) {
    for (;;) {
        const RedisReply reply = link.call(command(start));
        const auto &elements = array(reply);
        std::string id;
        for (std::size_t i = 0; i < count(elements); ++i) {
            const auto &item = array(element(elements, i));
            id = bulk(element(item, 0)).value_or("");
            each(id, item);
        }
        if (count(elements) < kPage) return;
        start = "(" + id;  // exclusive: after the last one read
    }
}

// Calls `each(id, fields)` for every entry of `key` from `first` to `last`
// (inclusive), in id order.
template <typename Each>
void for_each_entry(RedisLink &link, const std::string &key, const std::string &first, const std::string &last,
                    Each each) {
    for_each_in_range(
        link, first,
        [&](const std::string &start) { return words({"XRANGE", key, start, last, "COUNT", kPageText}); },
        [&](const std::string &id, const RedisArray &entry) { each(id, array(element(entry, 1))); });
}

}  // namespace

BrokerReader::BrokerReader(RedisLink &link, std::string workflow, std::vector<std::string> nodes)
    : link_(link), workflow_(std::move(workflow)), nodes_(std::move(nodes)) {}

std::map<std::string, std::uint32_t> BrokerReader::deliveries(const std::string &stream, const std::string &first,
                                                             const std::string &last) {
    std::map<std::string, std::uint32_t> out;
    try {
        for_each_in_range(
            link_, first,
            [&](const std::string &start) {
                return words({"XPENDING", stream, kWorkerGroup, start, last, kPageText});
            },
            [&](const std::string &id, const RedisArray &entry) {  // [id, consumer, idle ms, deliveries]
                out[id] = static_cast<std::uint32_t>(integer(element(entry, 3)));
            });
    } catch (const RedisReplyError &e) {
        if (!no_group(e.what())) throw;
    }
    return out;
}

std::optional<EntryFields> BrokerReader::entry_at(const std::string &key, const std::string &id) {
    std::optional<EntryFields> found;
    for_each_entry(link_, key, id, id, [&](const std::string &, const RedisArray &fields) {
        found = read_fields(fields);
    });
    return found;
}

std::vector<BrokerEntry> BrokerReader::list(EventFilter filter, std::optional<std::int64_t> since) {
    std::vector<BrokerEntry> out;
    const auto keep = [&](BrokerEntry &&entry) {
        if (!since || entry.fields.accepted_ms >= *since) out.push_back(std::move(entry));
    };
    for (const std::string &node : nodes_) {
        const StreamKeys keys = stream_keys(workflow_, node);
        if (filter != EventFilter::failed) {
            const auto delivered = deliveries(keys.stream, "-", "+");
            for_each_entry(link_, keys.stream, "-", "+", [&](const std::string &id, const RedisArray &f) {
                BrokerEntry entry{{node, id}, EntryState::pending, 0, read_fields(f)};
                if (const auto it = delivered.find(id); it != delivered.end()) {
                    entry.state = EntryState::delivered;
                    entry.deliveries = it->second;
                }
                keep(std::move(entry));
            });
        }
        if (filter != EventFilter::pending) {
            for_each_entry(link_, keys.dead, "-", "+", [&](const std::string &id, const RedisArray &f) {
                keep({{node, id}, EntryState::failed, 0, read_fields(f)});
            });
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const BrokerEntry &a, const BrokerEntry &b) {
        return a.fields.accepted_ms < b.fields.accepted_ms;
    });
    return out;
}

std::optional<BrokerEntry> BrokerReader::show(const BrokerEventId &id) {
    const StreamKeys keys = stream_keys(workflow_, id.node);
    // The dead letters first, as replay looks: a dead letter's id and an
    // unfinished entry's can coincide (two streams, one millisecond).
    if (auto fields = entry_at(keys.dead, id.entry)) {
        return BrokerEntry{id, EntryState::failed, 0, std::move(*fields)};
    }
    auto fields = entry_at(keys.stream, id.entry);
    if (!fields) return std::nullopt;
    BrokerEntry entry{id, EntryState::pending, 0, std::move(*fields)};
    const auto delivered = deliveries(keys.stream, id.entry, id.entry);
    if (!delivered.empty()) {
        entry.state = EntryState::delivered;
        entry.deliveries = delivered.begin()->second;
    }
    return entry;
}

BrokerReplays BrokerReader::replay(const std::vector<BrokerEventId> &ids) {
    BrokerReplays out;
    std::vector<BrokerEventId> dead;
    for (auto id = ids.begin(); id != ids.end(); ++id) {
        if (std::find(ids.begin(), id, *id) != id) continue;  // given twice: replayed once
        const StreamKeys keys = stream_keys(workflow_, id->node);
        if (entry_at(keys.dead, id->entry)) {
            dead.push_back(*id);
        } else if (entry_at(keys.stream, id->entry)) {
            out.already_pending.push_back(*id);
        } else {
            out.unknown.push_back(*id);
        }
    }
    if (out.unknown.empty()) replay_each(dead, out);
    return out;
}

BrokerReplays BrokerReader::replay_failed() {
    std::vector<BrokerEventId> dead;
    for (const std::string &node : nodes_) {
        for_each_entry(link_, stream_keys(workflow_, node).dead, "-", "+",
                       [&](const std::string &id, const RedisArray &) { dead.push_back({node, id}); });
    }
    BrokerReplays out;
    replay_each(dead, out);
    return out;
}

void BrokerReader::replay_each(const std::vector<BrokerEventId> &dead, BrokerReplays &out) {
    if (dead.empty()) return;
    const std::string script = link_.load_script(kReplayScript);
    for (std::size_t first = 0; first < dead.size(); first += kPage) {
        const std::size_t end = std::min(dead.size(), first + kPage);
        std::vector<RedisCommand> commands;
        for (std::size_t i = first; i < end; ++i) {
            const StreamKeys keys = stream_keys(workflow_, dead[i].node);
            commands.push_back(words({"EVALSHA", script, "2", keys.dead, keys.stream, dead[i].entry}));
        }
        const std::vector<RedisReply> replies = link_.pipeline(commands);
        for (std::size_t i = first; i < end; ++i) {
            const auto entry = bulk(replies[i - first]);  // throws for an error reply
            if (entry) {
                out.replayed.emplace_back(dead[i], BrokerEventId{dead[i].node, *entry});
            } else {
                out.gone.push_back(dead[i]);
            }
        }
    }
}

BrokerStats BrokerReader::stats() {
    BrokerStats stats;
    for (const std::string &node : nodes_) {
        const StreamKeys keys = stream_keys(workflow_, node);
        const std::vector<RedisReply> replies = link_.pipeline({
            words({"EXISTS", keys.stream, keys.dead}),
            words({"XLEN", keys.stream}),
            words({"XPENDING", keys.stream, kWorkerGroup}),
            words({"XLEN", keys.dead}),
            words({"XINFO", "CONSUMERS", keys.stream, kWorkerGroup}),
            words({"XRANGE", keys.stream, "-", "+", "COUNT", "1"}),
        });
        if (integer(replies[0]) == 0) continue;  // not an event source, or never used
        NodeCounts counts;
        counts.node = node;
        counts.pending = integer(replies[1]);
        // XPENDING's summary: [count, first id, last id, per consumer].
        if (!no_group(error_text(replies[2]))) counts.delivered = integer(element(array(replies[2]), 0));
        counts.failed = integer(replies[3]);
        if (!no_group(error_text(replies[4]))) {
            const auto &consumers = array(replies[4]);  // each [name, NAME, pending, N, idle, N ...]
            for (std::size_t i = 0; i < count(consumers); ++i) {
                const auto &info = array(element(consumers, i));
                for (std::size_t k = 0; k + 1 < count(info); k += 2) {
                    if (bulk(element(info, k)) != "name") continue;
                    counts.consumers.insert(bulk(element(info, k + 1)).value_or(""));
                }
            }
        }
        const auto &first = array(replies[5]);
        if (count(first) > 0) {
            counts.oldest_pending_at = read_fields(array(element(array(element(first, 0)), 1))).accepted_ms;
        }

        NodeCounts &total = stats.total;
        total.pending += counts.pending;
        total.delivered += counts.delivered;
        total.failed += counts.failed;
        total.consumers.insert(counts.consumers.begin(), counts.consumers.end());
        if (counts.oldest_pending_at) {
            total.oldest_pending_at = std::min(total.oldest_pending_at.value_or(*counts.oldest_pending_at),
                                               *counts.oldest_pending_at);
        }
        stats.nodes.push_back(std::move(counts));
    }
    return stats;
}

}  // namespace nb::host
