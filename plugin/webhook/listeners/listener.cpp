#include "listener.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Timespan.h>

#include "routing/handler_factory.hpp"

namespace nb::webhook {
namespace {

// Poco serves one connection per thread, keep-alive included: the thread cap
// is also the cap on concurrent connections being served.
constexpr int kMaxThreads = 64;
// Connections accepted while all threads are busy wait here; beyond it they
// are closed at once, which is kinder than an unbounded backlog.
constexpr int kMaxQueued = 256;
constexpr int kBacklog = 256;

Poco::Net::HTTPServerParams::Ptr server_params() {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kMaxThreads);
    params->setMaxQueued(kMaxQueued);
    // Webhook senders (and benchmarks) reuse connections; keeping them saves a
    // handshake per event. A short idle timeout gives the thread back soon.
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(0);  // unlimited
    // Longest silence while reading a request or sending an answer; also the
    // longest a stalled client can delay a stop.
    params->setTimeout(Poco::Timespan(10, 0));
    params->setThreadIdleTime(Poco::Timespan(30, 0));
    params->setServerName("nb-webhook");
    return params;
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
    return socket;
}

}  // namespace

Listener::Listener(std::uint16_t port, std::string bind)
    : bind_(std::move(bind)), pool_(2, kMaxThreads) {
    // Poco's TCPServer already sets TCP_NODELAY on every accepted socket, so
    // small JSON answers leave without Nagle's delay.
    server_ = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(routes_), pool_,
                                                      bind_socket(bind_, port), server_params());
    server_->start();
}

Listener::~Listener() {
    // Graceful: a request in progress gets its answer (the host may already
    // have accepted it), idle keep-alive connections are shut down.
    server_->stopAll(false);
    pool_.joinAll();
    server_.reset();
}

}  // namespace nb::webhook
