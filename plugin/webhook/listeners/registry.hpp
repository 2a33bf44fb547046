#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nb/metrics.h>
#include <nb/status.h>

#include "listener.hpp"
#include "metrics/code_counts.hpp"
#include "metrics/node_metrics.hpp"

namespace nb::webhook {

// The only global of the plugin: port -> the one Listener shared by every
// webhook node on that port. The first attach on a port creates its listener,
// the last detach stops it. It also knows every node's counts and every
// port's, for the plugin's NB_EXT_METRICS.
class ListenerRegistry {
public:
    static ListenerRegistry &instance();

    // [main-thread] Routes `route` on `port`, binding the port with
    // `settings` if needed. NB_ERR_IN_USE when another node has the same port
    // and path, NB_ERR_INVALID when the port already runs with other settings
    // (another bind, read_timeout_s or TLS widget) or its TLS files are not
    // a usable pair, NB_ERR_IO when the port cannot be bound or a TLS file
    // read; `error` then says why. `warning` gets what the TLS files of a
    // port started now are worth a warning for ("" when nothing).
    nb_status_t attach(std::uint16_t port, const PortSettings &settings, RouteTable::Route route,
                       std::string &error, std::string &warning);

    // [main-thread] Unroutes `path` from `handlers`: no request reaches them
    // once it returns. The last route of a port stops its server (see
    // net::Server::~Server), within kDrainTime plus a handler's longest step.
    void detach(std::uint16_t port, std::string_view path,
                const net::RequestHandlerFactory &handlers) noexcept;

    // Plugin init / deinit are counted; the last deinit stops any listener
    // left behind by a host that forgot to destroy its nodes.
    void retain();
    void release();

    // [main-thread] A node's counts, reported from its create to its destroy
    // (started or not).
    void add_node(std::shared_ptr<const metrics::NodeMetrics> node);
    void remove_node(const metrics::NodeMetrics &node) noexcept;

    // [thread-safe] Reports every node's and port's counts (metrics/report.hpp).
    // Holds the registry's lock only to copy them: never the request path's.
    void report(const nb_metrics_sink_t &sink);

private:
    ListenerRegistry() = default;

    std::mutex mutex_;
    std::map<std::uint16_t, std::unique_ptr<Listener>> listeners_;
    // Every port ever served: its unrouted counts go on across its restarts.
    std::map<std::uint16_t, std::shared_ptr<metrics::CodeCounts>> unrouted_;
    std::vector<std::shared_ptr<const metrics::NodeMetrics>> nodes_;
    unsigned users_ = 0;
};

}  // namespace nb::webhook
