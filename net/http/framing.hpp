#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "header_fields.hpp"

namespace nb::net {

// How a request's body ends (RFC 9112 6.3): no body, a Content-Length, or chunks.
enum class BodyFraming { none, length, chunked };

// A request's body framing as its headers declare it, or why it is ambiguous.
struct Framing {
    BodyFraming kind = BodyFraming::none;
    std::uint64_t content_length = 0;  // with BodyFraming::length
    std::optional<std::string> error;  // set: refuse the request, kind is none
};

// Refused (RFC 9112 6.3, the shapes of request smuggling): Content-Length
// together with Transfer-Encoding, a Transfer-Encoding other than one
// "chunked", a Content-Length that is not plain digits (negative, a list,
// too long), and Content-Length headers that disagree.
Framing body_framing(const HeaderFields &headers);

}  // namespace nb::net
