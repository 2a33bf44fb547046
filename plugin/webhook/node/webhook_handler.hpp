#pragma once

#include <memory>
#include <optional>
#include <optional>
#include <string>

#include "endpoint.hpp"
#include "server/request_handler.hpp"

namespace nb::webhook {

// One request on a node's exact path: checks it, hands it to the host, and
// says what to answer; 200 only for an event the host accepted. With a 1.1
// host the request is parked until the host's outcome (PendingOutcome), so
// the event loop never waits for the host; a 1.0 host decides inside its
// trigger.
class WebhookHandler : public net::RequestHandler {
public:
    explicit WebhookHandler(std::shared_ptr<Endpoint> endpoint)
        : endpoint_(std::move(endpoint)) {}

    // Who the client is and whether it may call (403), the method (405), a
    // declared size (413) and the query (400, 414), before the body is read.
    std::optional<net::Answer> on_head(const net::RequestHead &head,
                                       const net::Peer &peer) override;
    std::uint64_t max_body_bytes() const noexcept override { return endpoint_->max_body_bytes; }
    // The sender's proof (401), the body's text (400), the delivery id (200
    // duplicate, 503 busy), then the host.
    std::optional<net::Answer> on_body(const net::RequestHead &head, std::string &body,
                                       const net::Peer &peer, net::Parker &parker) override;
    bool abandoned() const noexcept override { return endpoint_->closed(); }
    // Counts the exchange in the node's metrics, and records it when the host
    // keeps an access log.
    void on_finished(const net::Exchange &exchange) noexcept override;

private:
    std::shared_ptr<Endpoint> endpoint_;
    std::string query_json_;  // the query's JSON, made by on_head
    // The client's address from X-Forwarded-For, the event's remote_addr;
    // "" when the peer is the client (its "address:port" is used).
    std::string forwarded_addr_;
    std::optional<std::string> delivery_id_;  // the sender's, read by on_body
};

}  // namespace nb::webhook
