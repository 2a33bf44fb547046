#include "framing.hpp"

#include "integer.hpp"

namespace nb::net {
namespace {

// At most 18 digits: far past any body, and no sum with it overflows.
bool is_plain_length(const std::string &value) {
    return value.size() <= 18 && parse_integer(value, Sign::unsigned_only).has_value();
}

}  // namespace

Framing body_framing(const HeaderFields &headers) {
    // One pass over the headers: every request comes through here.
    const std::string *first_length = nullptr;
    const char *length_error = nullptr;  // the first one, in header order
    int encodings = 0;
    bool only_chunked = true;
    for (const auto &[name, value] : headers) {
        if (name == "content-length") {
            if (!first_length) first_length = &value;
            if (length_error) continue;
            if (!is_plain_length(value)) {
                length_error = "Content-Length is not a non-negative integer";
            } else if (value != *first_length) {
                length_error = "Content-Length headers disagree";
            }
        } else if (name == "transfer-encoding") {
            ++encodings;
            only_chunked = only_chunked && iequals(value, "chunked");
        }
    }
    Framing framing;
    if (encodings > 0) {
        if (first_length) {
            framing.error = "both Content-Length and Transfer-Encoding are set";
        } else if (encodings > 1 || !only_chunked) {
            framing.error = "Transfer-Encoding other than one \"chunked\" is not supported";
        } else {
            framing.kind = BodyFraming::chunked;
        }
    } else if (length_error) {
        framing.error = length_error;
    } else if (first_length) {
        framing.kind = BodyFraming::length;
        framing.content_length =
            static_cast<std::uint64_t>(*parse_integer(*first_length, Sign::unsigned_only));
    }
    return framing;
}

}  // namespace nb::net
