#include "constant_time.hpp"
#include "digest.hpp"
#include "encoding.hpp"
#include "signed_request.hpp"

// GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>.
namespace nb::webhook::auth {

Failure verify_github(const SignedRequest &request, std::string_view key) {
    constexpr const char *kHeader = "X-Hub-Signature-256";
    constexpr std::string_view kPrefix = "sha256=";
    const auto value = header(request, kHeader);
    if (!value) return missing(kHeader);
    const std::string_view text(*value);
    const auto given = text.substr(0, kPrefix.size()) == kPrefix
                           ? hex_decode(text.substr(kPrefix.size()))
                           : std::nullopt;
    if (!given || given->size() != 32) {
        return std::string(kHeader) + " is malformed: expected sha256=<64 hex digits>";
    }
    if (!constant_time_equals(*given, hmac_sha256(key, {request.body}))) {
        return std::string(kHeader) + " does not match the body";
    }
    return std::nullopt;
}

}  // namespace nb::webhook::auth
