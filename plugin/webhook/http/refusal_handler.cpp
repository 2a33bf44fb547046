#include "refusal_handler.hpp"

#include "responses.hpp"

namespace nb::webhook {

void RefusalHandler::handleRequest(Poco::Net::HTTPServerRequest &,
                                   Poco::Net::HTTPServerResponse &response) {
    response.setKeepAlive(false);
    send_error(response, status_, message_);
}

}  // namespace nb::webhook
