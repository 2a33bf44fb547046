#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace nb::webhook {

// Any path no webhook node listens on: 404 with a JSON error.
class NotFoundHandler final : public Poco::Net::HTTPRequestHandler {
public:
    // [server-thread]
    void handleRequest(Poco::Net::HTTPServerRequest &request,
                       Poco::Net::HTTPServerResponse &response) override;
};

}  // namespace nb::webhook
