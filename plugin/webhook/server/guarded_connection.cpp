#include "guarded_connection.hpp"

#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
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
    try {
        HTTPServerConnection::run();
    } catch (const Poco::TimeoutException &) {
        try {
            send_raw_error(socket(), 408, "Request Timeout",
                           "the request did not arrive within read_timeout_s");
        } catch (const Poco::Exception &) {
            // The client is gone as well.
        }
    } catch (const Poco::Net::NetException &) {
        // Reset or broken pipe: nobody is left to answer.
    } catch (const Poco::Exception &e) {
        try {
            send_raw_error(socket(), 400, "Bad Request",
                           std::string("cannot read the request: ") + e.message());
        } catch (const Poco::Exception &) {
            // The client is gone as well.
        }
    }
    try {
        linger(socket());
    } catch (const Poco::Exception &) {
        // Reset or timeout while lingering: the connection is over either way.
    }
}

Poco::Net::TCPServerConnection *GuardedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket &socket) {
    return new GuardedConnection(socket, params_, handlers_);
}

}  // namespace nb::webhook
