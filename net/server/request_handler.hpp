#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/SocketAddress.h>

#include "http/request_head.hpp"
#include "http/responses.hpp"

namespace nb::net {

// The client of a connection: its address, and that address as text
// ("127.0.0.1:53412"), made once per connection.
struct Peer {
    explicit Peer(const Poco::Net::SocketAddress &address)
        : address(address), text(address.toString()) {}
    const Poco::Net::SocketAddress address;
    const std::string text;
};

// What the server hands one request to, as Poco's HTTPRequestHandler: made
// for it once its head is parsed, dropped once its answer is decided. The
// server knows HTTP; what a request means is the handler's.
class RequestHandler {
public:
    virtual ~RequestHandler() = default;

    // [server-thread] Before any byte of the body is read, so that a request
    // refused by its head alone costs no more than the head: an answer (the
    // connection then closes if a body follows), or nullopt to read the body.
    virtual std::optional<Answer> on_head(const RequestHead &head, const Peer &peer) = 0;

    // [server-thread] The most body bytes on_body may be given; a larger body
    // is answered 413 without reading the rest of it.
    virtual std::uint64_t max_body_bytes() const noexcept = 0;

    // [server-thread] With the whole body. What it returns is sent as it is:
    // once a handler returns an answer its request has had its effect, so the
    // server never turns that answer into another; only an exception thrown
    // here becomes a 500.
    virtual Answer on_body(const RequestHead &head, std::string &body, const Peer &peer) = 0;

    // [thread-safe] True once the handler can no longer serve its request
    // (its owner stopped): a request still being read is answered 503 and
    // closed, within kTimerTick.
    virtual bool abandoned() const noexcept { return false; }
};

// [server-thread] Makes the handler of each request, from its head: the
// routing point of a server (Poco's HTTPRequestHandlerFactory).
class RequestHandlerFactory {
public:
    virtual ~RequestHandlerFactory() = default;

    // Never null: a request nobody serves gets a handler that refuses it.
    virtual std::unique_ptr<RequestHandler> create(const RequestHead &head) = 0;
};

}  // namespace nb::net
