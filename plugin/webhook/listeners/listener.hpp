#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <vector>

#include <Poco/Net/ServerSocket.h>

#include "routing/route_table.hpp"
#include "server/connection.hpp"
#include "server/event_loop.hpp"

namespace nb::webhook {

// What one server per port means: settings every node on the port shares.
struct PortSettings {
    std::string bind;         // "" = all interfaces
    unsigned read_timeout_s;  // for a whole head; the longest silence in a body
};

// One listening port: its socket, its routes, and the event loops serving
// it, one per core.
class Listener {
public:
    // Binds settings.bind:port and starts serving. Throws
    // Poco::Net::NetException when the port cannot be bound, and
    // std::system_error when no loop thread can be had.
    Listener(std::uint16_t port, PortSettings settings);

    // Stops accepting; a request being handled finishes (each loop stops
    // between events), answers being written drain (kDrainTime at most),
    // every other connection closes. Returns once every loop thread is done.
    ~Listener();

    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    RouteTable &routes() noexcept { return routes_; }
    const PortSettings &settings() const noexcept { return settings_; }

private:
    const PortSettings settings_;
    RouteTable routes_;  // outlives the loops, which read it
    Poco::Net::ServerSocket socket_;
    const PortContext context_;
    std::vector<std::unique_ptr<EventLoop>> loops_;
};

}  // namespace nb::webhook
