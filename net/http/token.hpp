#pragma once

#include <string_view>

namespace nb::net {

// RFC 9110 5.6.2: tchar, the bytes of a token (a method, a field name).
bool is_tchar(unsigned char c) noexcept;

// A token: one or more tchar. The one check for both what a request sends
// and what a reply may carry, so the two never disagree on a name.
bool is_token(std::string_view text) noexcept;

}  // namespace nb::net
