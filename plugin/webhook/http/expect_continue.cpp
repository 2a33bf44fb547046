#include "expect_continue.hpp"

#include <Poco/Net/HTTPServerResponse.h>

namespace nb::webhook {

void withhold_continue_unless_read(const Poco::Net::HTTPServerRequest &request, bool routed,
                                   std::uint64_t max_body_bytes) {
    if (!request.getExpectContinue()) return;
    const bool fits = !request.hasContentLength() ||
                      static_cast<std::uint64_t>(request.getContentLength64()) <= max_body_bytes;
    const bool reads_body =
        routed && request.getMethod() == Poco::Net::HTTPRequest::HTTP_POST && fits;
    if (!reads_body) {
        request.response().setStatus(Poco::Net::HTTPResponse::HTTP_EXPECTATION_FAILED);
    }
}

}  // namespace nb::webhook
