#pragma once

#include <string>

namespace nb::net {

// The Date header's value for an answer sent now (RFC 7231 IMF-fixdate).
// The reference stays valid on the calling thread until its next call.
const std::string &http_date_now();

}  // namespace nb::net
