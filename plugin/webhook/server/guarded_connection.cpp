#include "guarded_connection.hpp"

#include <string>

#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timespan.h>

#include "http/responses.hpp"

namespace nb::webhook {
namespace {

// What a lingering close may still read and discard before giving up.
constexpr int kLingerBytes = 1 << 20;
constexpr long kLingerMs = 1000;

// An answer written straight to the socket: no request object exists when
// Poco failed to read the head.
void send_raw_error(Poco::Net::StreamSocket &socket, int status, const char *reason,
                    std::string_view message) {
    const std::string body = error_json(message);
    const std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                               "\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                               body;
    socket.sendBytes(answer.data(), static_cast<int>(answer.size()));
}

void send_timeout(Poco::Net::StreamSocket &socket) {
    try {
        send_raw_error(socket, 408, "Request Timeout",
                       "the request did not arrive within read_timeout_s");
    } catch (const Poco::Exception &) {
        // The client is gone.
    }
}

// Half-closes, then reads what the client still sends until it closes too,
// within bounds: closing with unread bytes would reset the connection and
// could destroy the answer before the client reads it.
void linger(Poco::Net::StreamSocket &socket) {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(kLingerMs * 1000));
    char scratch[4096];
    for (int total = 0; total < kLingerBytes;) {
        const int n = socket.receiveBytes(scratch, sizeof scratch);
        if (n <= 0) return;
        total += n;
    }
}

}  // namespace

void GuardedConnection::run() {
    // Poco's session closes its socket when run() ends, exceptions included:
    // a twin descriptor keeps the connection open for the answer and the
    // lingering close that follow.
    Poco::Net::StreamSocket twin(new Poco::Net::StreamSocketImpl(::dup(socket().impl()->sockfd())));
    try {
        HTTPServerConnection::run();
    } catch (const Poco::TimeoutException &) {
        send_timeout(twin);
    } catch (const Poco::Net::NetException &) {
        // Poco reports a head that timed out as a failed read, like a reset:
        // try the 408, which fails harmlessly if the client is gone.
        send_timeout(twin);
    } catch (const Poco::Exception &e) {
        try {
            send_raw_error(twin, 400, "Bad Request",
                           std::string("cannot read the request: ") + e.message());
        } catch (const Poco::Exception &) {
            // The client is gone as well.
        }
    }
    try {
        linger(twin);
    } catch (const Poco::Exception &) {
        // Reset or timeout while lingering: the connection is over either way.
    }
}

Poco::Net::TCPServerConnection *GuardedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket &socket) {
    return new GuardedConnection(socket, params_, handlers_);
}

}  // namespace nb::webhook
