#include "listener.hpp"

#include <Poco/Net/ServerSocket.h>

#include "server/guarded_connection.hpp"
#include "server/server_params.hpp"

namespace nb::webhook {
namespace {

Poco::Net::ServerSocket bind_socket(const std::string &bind, std::uint16_t port) {
    Poco::Net::ServerSocket socket;
    const Poco::Net::IPAddress address =
        bind.empty() ? Poco::Net::IPAddress() : Poco::Net::IPAddress(bind);
    // SO_REUSEADDR so that stop then start binds at once despite TIME_WAIT;
    // never SO_REUSEPORT, which would let two servers share the port silently.
    // An IPv6 address also takes IPv4 clients when it is "::" (dual stack).
    if (address.family() == Poco::Net::IPAddress::IPv6) {
        socket.bind6(Poco::Net::SocketAddress(address, port), true, false, false);
    } else {
        socket.bind(Poco::Net::SocketAddress(address, port), true, false);
    }
    socket.listen(kBacklog);
    return socket;
}

}  // namespace

Listener::Listener(std::uint16_t port, PortSettings settings)
    : settings_(std::move(settings)), handlers_(new HandlerFactory(routes_)), pool_(2, kMaxThreads) {
    // A TCPServer with our own connection class rather than an HTTPServer,
    // whose connections cannot be replaced (see GuardedConnection). Poco's
    // TCPServer already sets TCP_NODELAY on every accepted socket.
    const auto params = server_params(settings_.read_timeout_s);
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new GuardedConnectionFactory(params, handlers_), pool_,
        bind_socket(settings_.bind, port), params);
    server_->start();
}

Listener::~Listener() {
    // Graceful: a request in progress gets its answer (the host may already
    // have accepted it), idle keep-alive connections are shut down.
    handlers_->stop_connections();
    server_->stop();
    pool_.joinAll();
    server_.reset();
}

}  // namespace nb::webhook
