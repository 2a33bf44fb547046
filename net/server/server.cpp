#include "server.hpp"

#include <algorithm>
#include <thread>

#include "server_limits.hpp"

namespace nb::net {
namespace {

constexpr unsigned kMaxLoops = 8;

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
    // The loops accept until the queue is empty.
    socket.setBlocking(false);
    return socket;
}

}  // namespace

unsigned loop_count(unsigned requested) {
    if (requested > 0) return std::min(requested, kMaxLoops);
    return std::clamp(std::thread::hardware_concurrency(), 1U, kMaxLoops);
}

Server::Server(const ServerOptions &options, RequestHandlerFactory &handlers)
    : socket_(bind_socket(options.bind, options.port)),
      context_{handlers, options.read_timeout, open_connections_, options.transports} {
    const unsigned loops = loop_count(options.loops);
    for (unsigned i = 0; i < loops; ++i) {
        loops_.push_back(std::make_unique<EventLoop>(socket_.impl()->sockfd(), context_,
                                                     kMaxConnections / loops));
    }
}

Server::~Server() {
    for (auto &loop : loops_) loop->request_stop();
    loops_.clear();
}

}  // namespace nb::net
