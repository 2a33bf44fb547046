#pragma once

#include <string_view>

namespace nb::net {

// The path of a request target, query string and fragment removed, as sent
// (no percent-decoding: a route matches the bytes a client sends). An
// absolute-form target ("http://host:port/p") yields its path.
std::string_view request_path(std::string_view target) noexcept;

// What follows the first '?', up to any '#'; empty when there is none.
std::string_view request_query(std::string_view target) noexcept;

}  // namespace nb::net
