#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/TCPServer.h>
#include <Poco/SharedPtr.h>
#include <Poco/ThreadPool.h>

#include "routing/handler_factory.hpp"
#include "routing/route_table.hpp"

namespace nb::webhook {

// What one server per port means: settings every node on the port shares.
struct PortSettings {
    std::string bind;         // "" = all interfaces
    unsigned read_timeout_s;  // longest silence while a request arrives
};

// One listening port: its socket, its server with a thread pool of its own
// (so that stopping can join exactly its threads), and its routes.
class Listener {
public:
    // Binds settings.bind:port and starts serving. Throws
    // Poco::Net::NetException when the port cannot be bound.
    Listener(std::uint16_t port, PortSettings settings);

    // Stops accepting, lets requests in progress finish, closes idle
    // keep-alive connections, and returns once every handler thread is done.
    ~Listener();

    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    RouteTable &routes() noexcept { return routes_; }
    const PortSettings &settings() const noexcept { return settings_; }

private:
    const PortSettings settings_;
    RouteTable routes_;  // outlives the server, whose factory reads it
    Poco::SharedPtr<HandlerFactory> handlers_;
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace nb::webhook
