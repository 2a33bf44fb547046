#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "failure.hpp"
#include "http/header_fields.hpp"

namespace nb::webhook::auth {

// What a scheme checks: the raw body bytes as received, before anything
// parses them, and the headers (names case-insensitive).
struct SignedRequest {
    const net::HeaderFields &headers;
    std::string_view body;
    std::int64_t now;          // Unix seconds
    std::int64_t tolerance_s;  // for timestamped schemes
};

// The value of header `name`, given in lower case; nullopt when absent.
inline std::optional<std::string> header(const SignedRequest &request, const char *name) {
    const std::string *value = request.headers.find(name);
    if (!value) return std::nullopt;
    return *value;
}

inline std::string missing(const char *name) { return std::string(name) + " header is missing"; }

// One function per scheme; `key` as prepared by signing_key (verifier.hpp).
Failure verify_github(const SignedRequest &request, std::string_view key);
Failure verify_standard_webhooks(const SignedRequest &request, std::string_view key);
Failure verify_stripe(const SignedRequest &request, std::string_view key);
Failure verify_token(const SignedRequest &request, std::string_view key);

}  // namespace nb::webhook::auth
