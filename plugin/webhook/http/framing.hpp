#pragma once

#include <optional>
#include <string>

#include "header_fields.hpp"

namespace nb::webhook {

// Why a request's body framing is ambiguous, or nullopt when it is sound.
// Refused (RFC 9112 6.3, the shapes of request smuggling): Content-Length
// together with Transfer-Encoding, a Transfer-Encoding other than one
// "chunked", a Content-Length that is not plain digits (negative, a list,
// too long), and Content-Length headers that disagree.
std::optional<std::string> framing_error(const HeaderFields &headers);

}  // namespace nb::webhook
