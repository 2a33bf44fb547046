#include "broker_journal_commands.hpp"

#include <chrono>
#include <memory>

#include "../broker/broker_reader.hpp"
#include "../workflow/workflow_file.hpp"
#include "broker_stats_output.hpp"
#include "commands.hpp"
#include "journal_output.hpp"

namespace nb::host {
namespace {

constexpr std::chrono::seconds kReplyTimeout{10};

std::string entry_state_name(EntryState state) {
    switch (state) {
    case EntryState::pending: return "pending";
    case EntryState::delivered: return "delivered";
    case EntryState::failed: return "failed";
    }
    return "unknown";
}

ListedEvent listed(const BrokerEntry &entry) {
    const bool failed = entry.state == EntryState::failed;
    ListedEvent event;
    event.id = entry.id.text();
    event.node = entry.id.node;
    event.accepted_at = entry.fields.accepted_ms;
    event.state = entry_state_name(entry.state);
    event.attempts = failed ? entry.fields.attempts : entry.deliveries;
    event.body_bytes = static_cast<std::int64_t>(entry.fields.event.body.size());
    if (failed) event.last_error = entry.fields.error;
    return event;
}

ShownEvent shown(const BrokerEntry &entry) {
    ShownEvent event;
    static_cast<EventFields &>(event) = entry.fields.event;
    event.summary = listed(entry);
    if (entry.state == EntryState::failed) {
        event.finished_at = entry.fields.failed_ms;
        event.entry = entry.fields.entry;
    }
    return event;
}

std::string id_list(const std::vector<BrokerEventId> &ids) {
    std::string text;
    for (const BrokerEventId &id : ids) text += (text.empty() ? "" : ", ") + id.text();
    return text;
}

int list(BrokerReader &reader, const Options &options, std::ostream &out) {
    std::vector<ListedEvent> events;
    for (const BrokerEntry &entry : reader.list(options.filter, options.since)) events.push_back(listed(entry));
    out << (options.json ? list_json(events) : list_text(events));
    return exit_ok;
}

int show(BrokerReader &reader, const RedisLink &link, const Options &options, std::ostream &out,
         std::ostream &err) {
    const BrokerEventId &id = options.broker_ids.front();
    const auto entry = reader.show(id);
    if (!entry) {
        err << "nb-host: error: Redis at " << link.address() << " has no event " << id.text() << "\n";
        return exit_failure;
    }
    const ShownEvent event = shown(*entry);
    out << (options.json ? show_json(event, options.show_secrets) : show_text(event, options.show_secrets));
    return exit_ok;
}

int replay(BrokerReader &reader, const RedisLink &link, const Options &options, std::ostream &out,
           std::ostream &err) {
    const BrokerReplays replays =
        options.filter == EventFilter::failed ? reader.replay_failed() : reader.replay(options.broker_ids);
    if (!replays.unknown.empty()) {
        err << "nb-host: error: Redis at " << link.address() << " has no event " << id_list(replays.unknown)
            << ": nothing replayed\n";
        return exit_failure;
    }
    const std::size_t n = replays.replayed.size();
    out << "replayed " << n << (n == 1 ? " dead letter" : " dead letters") << (n ? ":" : "") << "\n";
    for (const auto &[dead, entry] : replays.replayed) out << "  " << dead.text() << " as " << entry.text() << "\n";
    for (const BrokerEventId &id : replays.already_pending) {
        out << "event " << id.text() << ": already pending, left alone\n";
    }
    for (const BrokerEventId &id : replays.gone) {
        out << "event " << id.text() << ": no longer a dead letter (replayed by another meanwhile)\n";
    }
    if (n > 0) {
        out << "they are new entries of their streams: a running worker (nb-host run --broker, role all or "
               "worker) picks them up at once, else the next one started does\n";
    }
    return exit_ok;
}

int stats(BrokerReader &reader, const Options &options, std::ostream &out) {
    const BrokerStats counts = reader.stats();
    out << (options.json ? broker_stats_json(counts) : broker_stats_text(counts));
    return exit_ok;
}

}  // namespace

int command_broker_journal(const Options &options, std::ostream &out, std::ostream &err) {
    std::unique_ptr<RedisLink> link;
    std::vector<std::string> nodes;
    WorkflowSpec spec;
    try {
        spec = read_workflow_file(options.argument);
        if (spec.name.empty()) {
            throw WorkflowError(options.argument + ": queue mode (--broker) names its Redis streams after the "
                                                   "workflow's \"name\", and this workflow has none");
        }
        for (const NodeSpec &node : spec.nodes) nodes.push_back(node.id);
        link = std::make_unique<RedisLink>(parse_redis_url(resolve_broker_url(options.broker)), kReplyTimeout);
    } catch (const WorkflowError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    } catch (const BrokerError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    }
    try {
        BrokerReader reader(*link, spec.name, std::move(nodes));
        if (options.journal_command == "list") return list(reader, options, out);
        if (options.journal_command == "show") return show(reader, *link, options, out, err);
        if (options.journal_command == "replay") return replay(reader, *link, options, out, err);
        return stats(reader, options, out);
    } catch (const BrokerError &e) {
        err << "nb-host: error: Redis at " << link->address() << ": " << e.what() << "\n";
    }
    return exit_failure;
}

}  // namespace nb::host
