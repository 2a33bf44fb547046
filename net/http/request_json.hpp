#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "header_fields.hpp"

namespace nb::net {

// JSON object of the headers: names lower-cased, repeated headers joined with
// ", " (RFC 9110 5.3). Bytes that are not UTF-8 are read as ISO-8859-1, the
// historical meaning of obs-text, so the result is always valid JSON text.
std::string headers_json(const HeaderFields &headers);

// The most parameters a query string may have, a repeated name counting each
// time (PHP's max_input_vars): a bound on the work and the JSON per request.
inline constexpr std::size_t kMaxQueryParameters = 1000;

// What query_json made of a query string: its JSON, or why there is none.
struct QueryJson {
    enum class Error { none, bad_utf8, too_many };
    std::string json;  // with Error::none
    Error error = Error::none;
};

// JSON object of a query string: '+' and %XX decoded, a name without '=' maps
// to "", a repeated name maps to an array of its values in order, names in the
// order they first came. bad_utf8 when a decoded name or value is not valid
// UTF-8; too_many past kMaxQueryParameters parameters (empty ones, as in
// "a&&b", are none). In time linear in the query's length.
QueryJson query_json(std::string_view query);

}  // namespace nb::net
