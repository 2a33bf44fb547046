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

// One listening port: its socket, its server with a thread pool of its own
// (so that stopping can join exactly its threads), and its routes.
class Listener {
public:
    // Binds 0.0.0.0:port and starts serving with `read_timeout_s`, chosen by
    // node `owner`, the node that started the port. Throws
    // Poco::Net::NetException when the port cannot be bound.
    Listener(std::uint16_t port, unsigned read_timeout_s, std::string owner);

    // Stops accepting, lets requests in progress finish, closes idle
    // keep-alive connections, and returns once every handler thread is done.
    ~Listener();

    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    RouteTable &routes() noexcept { return routes_; }
    unsigned read_timeout_s() const noexcept { return read_timeout_s_; }
    const std::string &owner() const noexcept { return owner_; }

private:
    const unsigned read_timeout_s_;
    const std::string owner_;
    RouteTable routes_;  // outlives the server, whose factory reads it
    Poco::SharedPtr<HandlerFactory> handlers_;
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace nb::webhook
