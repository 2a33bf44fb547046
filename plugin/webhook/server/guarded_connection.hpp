#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace nb::webhook {

// Poco's HTTP connection, plus what it leaves undone against hostile clients:
// a request head that stalls past the read timeout gets 408 and one Poco
// cannot parse beyond its own MessageException (a non-numeric
// Content-Length) gets 400, instead of a silent close logged as an error; and
// every connection ends with a lingering close, so that a client still
// sending (a header flood, an unread body) reads its answer instead of a reset.
class GuardedConnection final : public Poco::Net::HTTPServerConnection {
public:
    using HTTPServerConnection::HTTPServerConnection;

    // [server-thread]
    void run() override;
};

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
        : params_(std::move(params)), handlers_(std::move(handlers)) {}

    // [server-thread] Poco takes ownership of the connection returned.
    Poco::Net::TCPServerConnection *createConnection(
        const Poco::Net::StreamSocket &socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace nb::webhook
