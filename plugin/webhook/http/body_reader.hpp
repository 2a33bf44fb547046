#pragma once

#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>

namespace nb::webhook {

enum class BodyRead {
    complete,   // `body` holds the whole body
    too_large,  // over the limit; reading stopped, the rest is unread
    truncated   // the connection ended before Content-Length bytes came
};

// Reads the request body into `body`, never holding more than max_bytes + a
// read block. A Content-Length over the limit is refused before any read.
BodyRead read_body(Poco::Net::HTTPServerRequest &request, std::uint64_t max_bytes,
                   std::string &body);

}  // namespace nb::webhook
