#include "handler_factory.hpp"

#include <Poco/Net/HTTPServerRequest.h>

#include "http/expect_continue.hpp"
#include "http/framing.hpp"
#include "http/not_found_handler.hpp"
#include "http/refusal_handler.hpp"
#include "http/webhook_handler.hpp"
#include "request_path.hpp"

namespace nb::webhook {

Poco::Net::HTTPRequestHandler *HandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest &request) {
    // First, on every path: the answer of a request whose end is ambiguous
    // must close the connection, whatever route it was meant for.
    if (auto error = framing_error(request)) {
        withhold_continue_unless_read(request, false, 0);
        return new RefusalHandler(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, std::move(*error));
    }
    auto ticket = routes_.acquire(request_path(request.getURI()));
    if (!ticket) {
        withhold_continue_unless_read(request, false, 0);
        return new NotFoundHandler;
    }
    withhold_continue_unless_read(request, true, ticket->target().max_body_bytes);
    return new WebhookHandler(std::move(*ticket));
}

void HandlerFactory::stop_connections() {
    const bool abort_current = false;
    serverStopped.notify(this, abort_current);
}

}  // namespace nb::webhook
