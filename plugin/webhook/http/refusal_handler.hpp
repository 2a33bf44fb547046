#pragma once

#include <string>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

namespace nb::webhook {

// A request refused before any node sees it (bad framing): a JSON error, and
// the connection closed, since where its body ends is not known.
class RefusalHandler final : public Poco::Net::HTTPRequestHandler {
public:
    RefusalHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string message)
        : status_(status), message_(std::move(message)) {}

    // [server-thread]
    void handleRequest(Poco::Net::HTTPServerRequest &request,
                       Poco::Net::HTTPServerResponse &response) override;

private:
    const Poco::Net::HTTPResponse::HTTPStatus status_;
    const std::string message_;
};

}  // namespace nb::webhook
