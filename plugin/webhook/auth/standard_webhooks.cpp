#include "standard_webhooks.hpp"

#include "digest.hpp"
#include "encoding.hpp"
#include "signed_request.hpp"
#include "timestamp_window.hpp"

// Standard Webhooks (standardwebhooks.com): webhook-id, webhook-timestamp and
// webhook-signature, a space-separated list of "v1,<base64 HMAC-SHA256 of
// {id}.{timestamp}.{body}>"; other versions (v1a: asymmetric) are skipped.
//
// Svix, and the senders built on it (Resend, Clerk, ...), send the same
// scheme under its older names svix-id, svix-timestamp and svix-signature by
// default. Both families are accepted, as the official libraries do:
//   - a complete svix-* set (all three present, none empty) is read first;
//   - otherwise the webhook-* set is read;
//   - except that a request with some svix-* and no webhook-* header is read
//     as svix-*, so the 401 names the svix-* header that is missing.
// A family is always taken whole: id, timestamp and signature come from the
// same one, never one header from each, so what is checked is exactly what
// one sender signed.
namespace nb::webhook::auth {
namespace {

struct Family {
    const char *id;
    const char *timestamp;
    const char *signature;
};

constexpr Family kSvix{"svix-id", "svix-timestamp", "svix-signature"};
constexpr Family kWebhook{"webhook-id", "webhook-timestamp", "webhook-signature"};

bool complete(const net::HeaderFields &headers, const Family &family) {
    for (const char *name : {family.id, family.timestamp, family.signature}) {
        const std::string *value = headers.find(name);
        if (!value || value->empty()) return false;
    }
    return true;
}

bool any_of(const net::HeaderFields &headers, const Family &family) {
    return headers.find(family.id) || headers.find(family.timestamp) ||
           headers.find(family.signature);
}

const Family &family_of(const net::HeaderFields &headers) {
    if (complete(headers, kSvix)) return kSvix;
    if (!any_of(headers, kWebhook) && any_of(headers, kSvix)) return kSvix;
    return kWebhook;
}

}  // namespace

std::optional<std::string> standard_webhooks_id(const net::HeaderFields &headers) {
    const std::string *id = headers.find(family_of(headers).id);
    if (!id) return std::nullopt;
    return *id;
}

Failure verify_standard_webhooks(const SignedRequest &request, std::string_view key) {
    const Family &family = family_of(request.headers);
    const auto id = header(request, family.id);
    const auto timestamp = header(request, family.timestamp);
    const auto signatures = header(request, family.signature);
    if (!id) return missing(family.id);
    if (!timestamp) return missing(family.timestamp);
    if (!signatures) return missing(family.signature);
    const auto seconds = parse_unix_seconds(*timestamp);
    if (!seconds) return std::string(family.timestamp) + " is malformed: expected Unix seconds";
    if (auto late = outside_window(family.timestamp, *seconds, request.now, request.tolerance_s)) {
        return late;
    }
    const Digest expected = hmac_sha256(key, {*id, ".", *timestamp, ".", request.body});
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
        if (given && Poco::DigestEngine::constantTimeEquals(Digest(given->begin(), given->end()),
                                                            expected)) {
            matched = true;
        }
    }
    if (!any_v1) return std::string(family.signature) + " holds no v1,<base64> signature";
    if (!matched) return std::string("no ") + family.signature + " matches the body";
    return std::nullopt;
}

}  // namespace nb::webhook::auth
