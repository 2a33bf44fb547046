#include "listener.hpp"

#include <algorithm>
#include <thread>

#include "server/server_limits.hpp"

namespace nb::webhook {
namespace {

// One loop per core serves as much as the machine can; more only adds
// switches between them.
constexpr unsigned kMaxLoops = 8;

unsigned loop_count() {
    return std::clamp(std::thread::hardware_concurrency(), 1U, kMaxLoops);
}

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

Listener::Listener(std::uint16_t port, PortSettings settings)
    : settings_(std::move(settings)), socket_(bind_socket(settings_.bind, port)),
      context_{routes_, std::chrono::seconds(settings_.read_timeout_s)} {
    const unsigned loops = loop_count();
    for (unsigned i = 0; i < loops; ++i) {
        loops_.push_back(std::make_unique<EventLoop>(socket_.impl()->sockfd(), context_,
                                                     kMaxConnections / loops));
    }
}

Listener::~Listener() {
    for (auto &loop : loops_) loop->request_stop();
    loops_.clear();
}

}  // namespace nb::webhook
