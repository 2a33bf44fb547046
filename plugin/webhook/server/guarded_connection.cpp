#include "guarded_connection.hpp"

#include <memory>
#include <string>

#include <Poco/Delegate.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>

#include "http/http_date.hpp"
#include "http/responses.hpp"
#include "request_session.hpp"

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

// An answer Poco's loop gives without a handler, like its own sendErrorResponse.
void send_bare(Poco::Net::HTTPServerSession &session, Poco::Net::HTTPResponse::HTTPStatus status) {
    Poco::Net::HTTPServerResponseImpl response(session);
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.send();
    session.setKeepAlive(false);
}

}  // namespace

GuardedConnection::GuardedConnection(const Poco::Net::StreamSocket &socket,
                                     Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::SharedPtr<HandlerFactory> handlers)
    : TCPServerConnection(socket), params_(std::move(params)), handlers_(std::move(handlers)) {
    handlers_->stopped() += Poco::delegate(this, &GuardedConnection::on_server_stopped);
}

GuardedConnection::~GuardedConnection() {
    try {
        handlers_->stopped() -= Poco::delegate(this, &GuardedConnection::on_server_stopped);
    } catch (...) {
        // Nothing to do about it in a destructor; Poco's connection ignores it too.
    }
}

void GuardedConnection::run() {
    // The session closes the socket when it goes: it lives until the last
    // answer and the lingering close are done.
    RequestSession session(socket(), params_);
    try {
        serve(session);
    } catch (const Poco::TimeoutException &) {
        send_timeout(socket());
    } catch (const Poco::Net::NetException &) {
        // Poco reports a head that timed out as a failed read, like a reset:
        // try the 408, which fails harmlessly if the client is gone.
        send_timeout(socket());
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

void GuardedConnection::serve(RequestSession &session) {
    const std::string &server = params_->getSoftwareVersion();
    while (!stopped_ && session.next_request()) {
        try {
            std::lock_guard lock(busy_);
            if (stopped_) break;
            Poco::Net::HTTPServerResponseImpl response(session);
            Poco::Net::HTTPServerRequestImpl request(response, session, params_);
            response.set(Poco::Net::HTTPResponse::DATE, http_date_now());
            response.setVersion(request.getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                                  session.can_keep_alive());
            if (!server.empty()) response.set("Server", server);
            try {
                std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
                    handlers_->createRequestHandler(request));
                if (!handler) {
                    send_bare(session, Poco::Net::HTTPResponse::HTTP_NOT_IMPLEMENTED);
                    continue;
                }
                if (request.getExpectContinue() &&
                    response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
                    response.sendContinue();
                }
                handler->handleRequest(request, response);
                session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                                     session.can_keep_alive());
            } catch (const Poco::Exception &) {
                if (!response.sent()) {
                    try {
                        send_bare(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                    } catch (...) {
                        // The connection is gone; the rethrow below ends it.
                    }
                }
                throw;
            }
        } catch (const Poco::Net::NoMessageException &) {
            break;
        } catch (const Poco::Net::MessageException &) {
            send_bare(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
        } catch (const Poco::Exception &) {
            if (session.networkException()) session.networkException()->rethrow();
            throw;
        }
    }
}

void GuardedConnection::on_server_stopped(const bool &abort_current) {
    stopped_ = true;
    std::unique_lock lock(busy_, std::defer_lock);
    if (!abort_current) lock.lock();
    try {
        socket().shutdown();
    } catch (...) {
        // Already closed by the client.
    }
}

Poco::Net::TCPServerConnection *GuardedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket &socket) {
    return new GuardedConnection(socket, params_, handlers_);
}

}  // namespace nb::webhook
