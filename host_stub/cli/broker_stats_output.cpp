#include "broker_stats_output.hpp"

#include "journal_output.hpp"
#include "json_object.hpp"
#include "../observe/utc_time.hpp"

namespace nb::host {
namespace {

std::string counts_text(const NodeCounts &counts) {
    return "pending " + std::to_string(counts.pending) + ", delivered " + std::to_string(counts.delivered) +
           ", failed " + std::to_string(counts.failed) + ", consumers " + std::to_string(counts.consumers.size()) +
           ", oldest pending " + utc_time_or_dash(counts.oldest_pending_at) + "\n";
}

JsonObject &add_counts(JsonObject &object, const NodeCounts &counts) {
    return object.add("pending", counts.pending)
        .add("delivered", counts.delivered)
        .add("failed", counts.failed)
        .add("consumers", static_cast<std::int64_t>(counts.consumers.size()))
        .add_or_null("oldest_pending_at", optional_utc_time(counts.oldest_pending_at));
}

}  // namespace

std::string broker_stats_text(const BrokerStats &stats) {
    std::string text;
    for (const NodeCounts &node : stats.nodes) text += "node " + one_line(node.node) + ": " + counts_text(node);
    return text + "total: " + counts_text(stats.total);
}

std::string broker_stats_json(const BrokerStats &stats) {
    std::string nodes = "[";
    for (const NodeCounts &node : stats.nodes) {
        if (nodes.size() > 1) nodes += ",";
        JsonObject object;
        nodes += add_counts(object.add("node", node.node), node).text();
    }
    JsonObject total;
    return JsonObject().add_json("nodes", nodes + "]").add_json("total", add_counts(total, stats.total).text()).text() +
           "\n";
}

}  // namespace nb::host
