#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <nb/metrics.h>

#include "node_metrics.hpp"

namespace nb::webhook::metrics {

// One port as a scrape sees it.
struct PortCounts {
    std::uint16_t port;
    bool listening;  // open_connections is reported only for a port served now
    std::size_t open_connections;
    std::vector<std::pair<int, std::uint64_t>> unrouted;  // status -> requests
};

// [thread-safe] Reports every family of the plugin through `sink`, one
// family call each, in this order: nb_webhook_requests_total,
// nb_webhook_refusals_total, nb_webhook_request_duration_seconds,
// nb_webhook_body_bytes, nb_webhook_open_connections,
// nb_webhook_unrouted_requests_total.
void report(const nb_metrics_sink_t &sink,
            const std::vector<std::shared_ptr<const NodeMetrics>> &nodes,
            const std::vector<PortCounts> &ports);

}  // namespace nb::webhook::metrics
