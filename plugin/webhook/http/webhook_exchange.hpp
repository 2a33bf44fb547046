#pragma once

#include <optional>
#include <string>

#include <Poco/Net/SocketAddress.h>

#include "listeners/route_target.hpp"
#include "request_head.hpp"
#include "responses.hpp"

namespace nb::webhook {

// One request on a node's exact path: checks it, hands it to the host
// through trigger, and says what to answer. Holds the node's in-flight
// ticket for its whole life, so the node's stop waits for it.
class WebhookExchange {
public:
    explicit WebhookExchange(InFlightTicket ticket) : ticket_(std::move(ticket)) {}

    std::uint64_t max_body_bytes() const noexcept { return ticket_.target().max_body_bytes; }
    // Why a body over max_body_bytes is refused (413), declared or chunked.
    std::string too_large() const;

    // [server-thread] Before any byte of the body is read, so that a caller
    // not allowed, a wrong method or a declared size over the limit costs no
    // more than the head: the answer, or nullopt to go on and read the body.
    // The caller closes the connection after it if a body follows.
    std::optional<Answer> check_head(const RequestHead &head,
                                     const Poco::Net::SocketAddress &client) const;

    // [server-thread] With the whole body: verifies the sender, triggers the
    // node and answers what the host decided; 200 only for an accepted event.
    Answer deliver(const RequestHead &head, const std::string &body,
                   const std::string &client) const;

private:
    InFlightTicket ticket_;
};

}  // namespace nb::webhook
