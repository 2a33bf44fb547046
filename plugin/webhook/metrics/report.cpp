#include "report.hpp"

#include <string>

namespace nb::webhook::metrics {
namespace {

using Labels = std::initializer_list<nb_metric_label_t>;

void family(const nb_metrics_sink_t &sink, const char *name, nb_metric_kind_t kind,
            const char *help) {
    sink.family(&sink, name, kind, help);
}

void value(const nb_metrics_sink_t &sink, Labels labels, double v) {
    sink.value(&sink, labels.begin(), static_cast<std::uint32_t>(labels.size()), v);
}

template <std::size_t N>
void histogram(const nb_metrics_sink_t &sink, Labels labels, const Histogram<N> &h) {
    const auto snapshot = h.snapshot();
    sink.histogram(&sink, labels.begin(), static_cast<std::uint32_t>(labels.size()),
                   snapshot.upper.data(), snapshot.counts.data(), static_cast<std::uint32_t>(N),
                   snapshot.sum);
}

}  // namespace

void report(const nb_metrics_sink_t &sink,
            const std::vector<std::shared_ptr<const NodeMetrics>> &nodes,
            const std::vector<PortCounts> &ports) {
    family(sink, "nb_webhook_requests_total", NB_METRIC_COUNTER,
           "Requests that reached a webhook node's path, by answer status (0: the client left "
           "before the answer).");
    for (const auto &node : nodes) {
        node->requests().each([&](int status, std::uint64_t count) {
            const std::string code = std::to_string(status);
            value(sink, {{"node", node->node().c_str()}, {"code", code.c_str()}},
                  static_cast<double>(count));
        });
    }

    family(sink, "nb_webhook_refusals_total", NB_METRIC_COUNTER,
           "Requests a webhook node refused, by reason.");
    for (const auto &node : nodes) {
        for (std::size_t i = 1; i < kRefusalCount; ++i) {
            const auto refusal = static_cast<Refusal>(i);
            value(sink, {{"node", node->node().c_str()}, {"reason", refusal_name(refusal)}},
                  static_cast<double>(node->refusals(refusal)));
        }
    }

    family(sink, "nb_webhook_request_duration_seconds", NB_METRIC_HISTOGRAM,
           "A webhook node's exchanges, from the head's first byte to the answer's last byte.");
    for (const auto &node : nodes) histogram(sink, {{"node", node->node().c_str()}}, node->duration());

    family(sink, "nb_webhook_body_bytes", NB_METRIC_HISTOGRAM,
           "Request body bytes read by a webhook node's exchanges.");
    for (const auto &node : nodes) {
        histogram(sink, {{"node", node->node().c_str()}}, node->body_bytes());
    }

    family(sink, "nb_webhook_open_connections", NB_METRIC_GAUGE,
           "Connections open on a webhook port.");
    for (const PortCounts &port : ports) {
        if (!port.listening) continue;
        const std::string name = std::to_string(port.port);
        value(sink, {{"port", name.c_str()}}, static_cast<double>(port.open_connections));
    }

    family(sink, "nb_webhook_unrouted_requests_total", NB_METRIC_COUNTER,
           "Requests on a webhook port that reached no node (no node on the path, a head that "
           "could not be read, a head too slow), by answer status.");
    for (const PortCounts &port : ports) {
        const std::string name = std::to_string(port.port);
        for (const auto &[status, count] : port.unrouted) {
            const std::string code = std::to_string(status);
            value(sink, {{"port", name.c_str()}, {"code", code.c_str()}}, static_cast<double>(count));
        }
    }
}

}  // namespace nb::webhook::metrics
