#include "constant_time.hpp"
#include "digest.hpp"
#include "encoding.hpp"
#include "signed_request.hpp"
#include "timestamp_window.hpp"

// Standard Webhooks (standardwebhooks.com): webhook-id, webhook-timestamp and
// webhook-signature, a space-separated list of "v1,<base64 HMAC-SHA256 of
// {id}.{timestamp}.{body}>"; other versions (v1a: asymmetric) are skipped.
namespace nb::webhook::auth {

Failure verify_standard_webhooks(const SignedRequest &request, std::string_view key) {
    constexpr const char *kId = "webhook-id";
    constexpr const char *kTimestamp = "webhook-timestamp";
    constexpr const char *kSignature = "webhook-signature";
    const auto id = header(request, kId);
    const auto timestamp = header(request, kTimestamp);
    const auto signatures = header(request, kSignature);
    if (!id) return missing(kId);
    if (!timestamp) return missing(kTimestamp);
    if (!signatures) return missing(kSignature);
    const auto seconds = parse_unix_seconds(*timestamp);
    if (!seconds) return std::string(kTimestamp) + " is malformed: expected Unix seconds";
    if (auto late = outside_window(kTimestamp, *seconds, request.now, request.tolerance_s)) {
        return late;
    }
    const std::string expected = hmac_sha256(key, {*id, ".", *timestamp, ".", request.body});
    bool any_v1 = false;
    bool matched = false;
    std::string_view rest(*signatures);
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        const std::string_view entry = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        if (entry.substr(0, 3) != "v1,") continue;
        any_v1 = true;
        const auto given = base64_decode(entry.substr(3));
        // No early exit: every candidate costs the same whether one matched.
        if (given && constant_time_equals(*given, expected)) matched = true;
    }
    if (!any_v1) return std::string(kSignature) + " holds no v1,<base64> signature";
    if (!matched) return std::string("no ") + kSignature + " matches the body";
    return std::nullopt;
}

}  // namespace nb::webhook::auth
