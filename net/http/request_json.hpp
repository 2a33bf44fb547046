#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "header_fields.hpp"

namespace nb::net {

// JSON object of the headers: names lower-cased, repeated headers joined with
// ", " (RFC 9110 5.3). Bytes that are not UTF-8 are read as ISO-8859-1, the
// historical meaning of obs-text, so the result is always valid JSON text.
std::string headers_json(const HeaderFields &headers);

// JSON object of a query string: '+' and %XX decoded, a name without '=' maps
// to "", a repeated name maps to an array of its values in order. nullopt
// when a decoded name or value is not valid UTF-8.
std::optional<std::string> query_json(std::string_view query);

}  // namespace nb::net
