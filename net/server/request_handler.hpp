#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <Poco/Net/SocketAddress.h>

#include "http/request_head.hpp"
#include "http/responses.hpp"

namespace nb::net {

using Clock = std::chrono::steady_clock;

// The client of a connection: its address, and that address as text
// ("127.0.0.1:53412"), made once per connection.
struct Peer {
    explicit Peer(const Poco::Net::SocketAddress &address)
        : address(address), text(address.toString()) {}
    const Poco::Net::SocketAddress address;
    const std::string text;
};

class ParkedRequest;
struct Exchange;

// [thread-safe] Answers a parked request later, from any thread. Copyable:
// all copies name one parked request, which they keep alive (not its
// connection), so answering is safe after the client, loop or Server is gone.
class Responder {
public:
    explicit Responder(std::shared_ptr<ParkedRequest> parked) noexcept
        : parked_(std::move(parked)) {}

    // The first answer of a parked request wins: true when this call's answer
    // is the one (it is sent unless the client has gone), false when the
    // request already had one (its timeout answer, a stopping server's 503,
    // or an earlier call). Never blocks beyond a short lock, never throws.
    bool answer(Answer answer) const noexcept;

private:
    std::shared_ptr<ParkedRequest> parked_;
};

// Given to on_body, to answer its request later instead of at once.
class Parker {
public:
    // [server-thread] Parks the request being handled: the connection then
    // waits, costing memory only, until the Responder answers, or until `due`
    // passes, when a copy of `on_timeout` (never null; shared, since it is
    // usually the same for every request of a route) is sent through the same
    // first-answer-wins rule. At most once per on_body call (again throws
    // std::logic_error).
    virtual Responder park(Clock::time_point due, std::shared_ptr<const Answer> on_timeout) = 0;

protected:
    ~Parker() = default;
};

// What the server hands one request to, as Poco's HTTPRequestHandler: made
// for it once its head is parsed, dropped once the exchange ended (its
// answer's last byte written, or the client gone). The server knows HTTP;
// what a request means is the handler's.
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

    // [server-thread] With the whole body: an answer now, or nullopt after
    // parking the request with `parker` (nullopt without parking is a bug,
    // answered 500). An answer is sent as it is: once a handler decides one
    // its request has had its effect, so the server never turns that answer
    // into another; only an exception thrown here becomes a 500 (for a parked
    // request, unless its Responder answered first). The handler lives until
    // its request is answered, so a parked request may use what it owns.
    virtual std::optional<Answer> on_body(const RequestHead &head, std::string &body,
                                          const Peer &peer, Parker &parker) = 0;

    // [thread-safe] True once the handler can no longer serve its request
    // (its owner stopped): a request still being read is answered 503 and
    // closed, within kTimerTick.
    virtual bool abandoned() const noexcept { return false; }

    // [server-thread] The exchange ended (exchange.hpp): exactly once, last.
    // Must not block: it runs on the event loop, for every request.
    virtual void on_finished(const Exchange &) noexcept {}
};

// [server-thread] Makes the handler of each request, from its head: the
// routing point of a server (Poco's HTTPRequestHandlerFactory).
class RequestHandlerFactory {
public:
    virtual ~RequestHandlerFactory() = default;

    // Never null: a request nobody serves gets a handler that refuses it.
    virtual std::unique_ptr<RequestHandler> create(const RequestHead &head) = 0;

    // An exchange that ended without a handler: its head unreadable (400,
    // 414, 431), late (408) or cut short by a stopping server (503), or the
    // client gone before the head was complete. Must not block.
    virtual void on_unhandled(const Exchange &) noexcept {}
};

}  // namespace nb::net
