#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "metrics/code_counts.hpp"
#include "routing/route_table.hpp"
#include "server/server.hpp"

namespace nb::webhook {

// What one server per port means: settings every node on the port shares.
struct PortSettings {
    std::string bind;         // "" = all interfaces
    unsigned read_timeout_s;  // for a whole head; the longest silence in a body
};

// One listening port: its routes and the server that hands them requests.
class Listener {
public:
    // [main-thread] Binds settings.bind:port and starts serving, with as many
    // event loops as NB_WEBHOOK_LOOPS says (default: one per core). Throws as
    // net::Server does. Requests that reach no route are counted in `unrouted`.
    Listener(std::uint16_t port, PortSettings settings,
             std::shared_ptr<metrics::CodeCounts> unrouted);

    RouteTable &routes() noexcept { return routes_; }
    const PortSettings &settings() const noexcept { return settings_; }
    // [thread-safe]
    std::size_t open_connections() const noexcept { return server_.open_connections(); }

private:
    const PortSettings settings_;
    RouteTable routes_;  // outlives the server, which reads it
    net::Server server_;
};

}  // namespace nb::webhook
