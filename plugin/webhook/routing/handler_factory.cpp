#include "handler_factory.hpp"

#include <Poco/Net/HTTPServerRequest.h>

#include "http/not_found_handler.hpp"
#include "http/webhook_handler.hpp"
#include "request_path.hpp"

namespace nb::webhook {

Poco::Net::HTTPRequestHandler *HandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest &request) {
    auto ticket = routes_.acquire(request_path(request.getURI()));
    if (!ticket) return new NotFoundHandler;
    return new WebhookHandler(std::move(*ticket));
}

void HandlerFactory::stop_connections() {
    const bool abort_current = false;
    serverStopped.notify(this, abort_current);
}

}  // namespace nb::webhook
