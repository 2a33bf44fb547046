#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "routing/route_table.hpp"

namespace nb::webhook {

// One listening port: its socket, its HTTPServer with a thread pool of its
// own (so that stopping can join exactly its threads), and its routes.
class Listener {
public:
    // Binds bind:port ("" = 0.0.0.0, all interfaces) and starts serving.
    // Throws Poco::Net::NetException when the port cannot be bound.
    Listener(std::uint16_t port, std::string bind);

    // Stops accepting, lets requests in progress finish, closes idle
    // keep-alive connections, and returns once every handler thread is done.
    ~Listener();

    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    RouteTable &routes() noexcept { return routes_; }
    const std::string &bind() const noexcept { return bind_; }

private:
    const std::string bind_;
    RouteTable routes_;  // outlives the server, whose factory reads it
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace nb::webhook
