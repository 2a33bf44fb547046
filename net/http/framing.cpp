#include "framing.hpp"

namespace nb::net {
namespace {

// Up to 18 digits always fits an Int64.
bool is_plain_length(const std::string &value) {
    if (value.empty() || value.size() > 18) return false;
    for (const char c : value) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

Framing body_framing(const HeaderFields &headers) {
    // One pass over the headers: every request comes through here.
    const std::string *first_length = nullptr;
    const char *length_error = nullptr;  // the first one, in header order
    int encodings = 0;
    bool only_chunked = true;
    for (const auto &[name, value] : headers) {
        if (iequals(name, "Content-Length")) {
            if (!first_length) first_length = &value;
            if (length_error) continue;
            if (!is_plain_length(value)) {
                length_error = "Content-Length is not a non-negative integer";
            } else if (value != *first_length) {
                length_error = "Content-Length headers disagree";
            }
        } else if (iequals(name, "Transfer-Encoding")) {
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
        // At most 18 plain digits: no overflow.
        for (const char c : *first_length) {
            framing.content_length = framing.content_length * 10 + static_cast<unsigned>(c - '0');
        }
    }
    return framing;
}

}  // namespace nb::net
