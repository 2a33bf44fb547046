#pragma once

#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>

namespace nb::webhook {

enum class BodyRead {
    complete,   // `body` holds the whole body
    too_large,  // over the limit; reading stopped, the rest is unread
    truncated,  // the connection ended before the body did
    malformed   // a chunked body broke its framing
};

// Reads the request body into `body`, never holding more than max_bytes + a
// read block. A Content-Length or chunk size over the limit is refused before
// its bytes are read; a request with neither has an empty body (RFC 9112
// 6.3). Assumes framing_error() passed. Throws what the connection throws
// (Poco::TimeoutException when the client goes silent).
BodyRead read_body(Poco::Net::HTTPServerRequest &request, std::uint64_t max_bytes,
                   std::string &body);

}  // namespace nb::webhook
