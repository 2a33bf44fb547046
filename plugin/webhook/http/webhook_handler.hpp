#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "listeners/route_target.hpp"

namespace nb::webhook {

// A request on a node's exact path: checks it, hands it to the host through
// trigger, and answers what the host decided. Holds the node's in-flight
// ticket for its whole life, so the node's stop waits for it.
class WebhookHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit WebhookHandler(InFlightTicket ticket) : ticket_(std::move(ticket)) {}

    // [server-thread]
    void handleRequest(Poco::Net::HTTPServerRequest &request,
                       Poco::Net::HTTPServerResponse &response) override;

private:
    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response);

    InFlightTicket ticket_;
};

}  // namespace nb::webhook
