#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/ServerSocket.h>

#include "connection.hpp"
#include "event_loop.hpp"
#include "request_handler.hpp"

namespace nb::net {

struct ServerOptions {
    std::string bind;  // an IP address; "" = all interfaces
    std::uint16_t port = 0;
    std::chrono::seconds read_timeout{10};  // for a whole head; the longest silence in a body
    unsigned loops = 0;                     // event loop threads; 0 = one per core
    // null: plain HTTP; else what each connection reads and writes through
    // (tls::TlsPort for HTTPS), which must outlive the server.
    TransportFactory *transports = nullptr;
};

// One listening port: its socket and the event loops serving it, which hand
// every request to `handlers`.
class Server {
public:
    // [main-thread] Binds and starts serving. `handlers` must outlive the
    // server. Throws Poco::Net::NetException when the port cannot be bound,
    // std::system_error when no loop thread can be had.
    Server(const ServerOptions &options, RequestHandlerFactory &handlers);

    // [main-thread] Stops accepting; a request being handled finishes (each
    // loop stops between events), answers being written drain (kDrainTime
    // at most), requests still being read are answered 503, parked requests
    // get their answer if it comes within kDrainTime and 503 if not, idle
    // connections close. Returns once every loop thread is done.
    ~Server();

    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // [thread-safe] Connections open on the port now.
    std::size_t open_connections() const noexcept {
        return open_connections_.load(std::memory_order_relaxed);
    }

private:
    std::atomic<std::size_t> open_connections_{0};
    Poco::Net::ServerSocket socket_;
    const PortContext context_;
    std::vector<std::unique_ptr<EventLoop>> loops_;
};

// The loop count `requested` means on this machine: itself, else one per
// core, at most 8 (more only adds switches between them).
unsigned loop_count(unsigned requested);

}  // namespace nb::net
