#pragma once

#include <string_view>

namespace nb::net {

// The Date header's value for an answer sent now (RFC 7231 IMF-fixdate).
// The text stays valid on the calling thread until its next call.
std::string_view http_date_now() noexcept;

}  // namespace nb::net
