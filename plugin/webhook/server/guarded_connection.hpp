#pragma once

#include <atomic>
#include <mutex>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/SharedPtr.h>

#include "routing/handler_factory.hpp"

namespace nb::webhook {

class RequestSession;

// Poco's HTTP connection loop, plus what it leaves undone against hostile
// clients: a request head that stalls past the read timeout gets 408 and one
// Poco cannot parse beyond its own MessageException (a non-numeric
// Content-Length) gets 400, instead of a silent close logged as an error; and
// every connection ends with a lingering close, so that a client still
// sending (a header flood, an unread body) reads its answer instead of a
// reset. The loop is Poco 1.11's HTTPServerConnection::run with a cheaper
// wait between requests (RequestSession); owning it also keeps the session,
// and so the socket, open for those last words.
class GuardedConnection final : public Poco::Net::TCPServerConnection {
public:
    GuardedConnection(const Poco::Net::StreamSocket &socket,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::SharedPtr<HandlerFactory> handlers);
    ~GuardedConnection() override;

    // [server-thread]
    void run() override;

private:
    void serve(RequestSession &session);
    // [main-thread] The factory's serverStopped: finish the request in
    // progress (or abort it), then shut the socket so an idle wait ends.
    void on_server_stopped(const bool &abort_current);

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<HandlerFactory> handlers_;
    std::atomic<bool> stopped_{false};
    std::mutex busy_;  // held while a request is handled
};

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::SharedPtr<HandlerFactory> handlers)
        : params_(std::move(params)), handlers_(std::move(handlers)) {}

    // [server-thread] Poco takes ownership of the connection returned.
    Poco::Net::TCPServerConnection *createConnection(
        const Poco::Net::StreamSocket &socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<HandlerFactory> handlers_;
};

}  // namespace nb::webhook
