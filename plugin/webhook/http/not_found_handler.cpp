#include "not_found_handler.hpp"

#include "responses.hpp"

namespace nb::webhook {

void NotFoundHandler::handleRequest(Poco::Net::HTTPServerRequest &request,
                                    Poco::Net::HTTPServerResponse &response) {
    if (has_body(request)) response.setKeepAlive(false);
    send_error(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "no webhook on this path");
}

}  // namespace nb::webhook
