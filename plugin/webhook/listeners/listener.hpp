#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "metrics/code_counts.hpp"
#include "routing/route_table.hpp"
#include "server/server.hpp"
#include "tls/reload_timer.hpp"
#include "tls/tls_port.hpp"

namespace nb::webhook {

// What one server per port means: settings every node on the port shares.
struct PortSettings {
    std::string bind;         // "" = all interfaces
    unsigned read_timeout_s;  // for a whole head (and a TLS handshake); the longest silence in a body
    net::tls::TlsFiles tls;   // tls.cert "": plain HTTP
    unsigned tls_reload_s;    // how often the TLS files are checked for changes; 0 = never
};

// One listening port: its routes and the server that hands them requests.
class Listener {
public:
    // [main-thread] Binds settings.bind:port and starts serving, with as many
    // event loops as NB_WEBHOOK_LOOPS says (default: one per core). Throws as
    // net::Server does, and as net::tls::TlsPort when the TLS files cannot
    // serve. Requests that reach no route are counted in `unrouted`. An HTTPS
    // port reloads its files every tls_reload_s when they change, logging
    // through a node of the port what it did.
    Listener(std::uint16_t port, PortSettings settings,
             std::shared_ptr<metrics::CodeCounts> unrouted);

    RouteTable &routes() noexcept { return routes_; }
    const PortSettings &settings() const noexcept { return settings_; }
    // What the TLS files at start are worth a warning for ("" when nothing).
    std::string tls_warning() const { return tls_ ? tls_->warning() : std::string(); }
    // [thread-safe]
    std::size_t open_connections() const noexcept { return server_.open_connections(); }

private:
    void report_reload(std::uint16_t port, net::tls::TlsPort::Reload reload,
                       const std::string &message) const;

    const PortSettings settings_;
    const std::unique_ptr<net::tls::TlsPort> tls_;  // null for plain HTTP; outlives the server
    RouteTable routes_;  // outlives the server, which reads it
    net::Server server_;
    std::unique_ptr<net::tls::ReloadTimer> reload_;  // stops first: it logs through routes_
};

}  // namespace nb::webhook
