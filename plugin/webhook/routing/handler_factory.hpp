#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "route_table.hpp"

namespace nb::webhook {

// Routes each request of one port: its exact path to the node's handler,
// anything else to 404. Owned by the port's HTTPServer.
class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(const RouteTable &routes) : routes_(routes) {}

    // [server-thread] Poco takes ownership of the handler returned.
    Poco::Net::HTTPRequestHandler *createRequestHandler(
        const Poco::Net::HTTPServerRequest &request) override;

    // [main-thread] Tells every open connection to finish its request in
    // progress and close (what HTTPServer::stopAll(false) does).
    void stop_connections();

    // What stop_connections notifies; each connection listens to it.
    Poco::BasicEvent<const bool> &stopped() noexcept { return serverStopped; }

private:
    const RouteTable &routes_;
};

}  // namespace nb::webhook
