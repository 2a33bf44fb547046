#include <vector>

#include <Poco/Exception.h>

#include "digest.hpp"
#include "signed_request.hpp"
#include "timestamp_window.hpp"

// Stripe: Stripe-Signature: t=<ts>,v1=<hex>[,v1=...][,v0=...], each v1 the
// hex HMAC-SHA256 of "{t}.{body}" keyed with the whole secret string.
namespace nb::webhook::auth {

Failure verify_stripe(const SignedRequest &request, std::string_view key) {
    constexpr const char *kHeader = "Stripe-Signature";
    const auto value = header(request, "stripe-signature");
    if (!value) return missing(kHeader);
    std::optional<std::string_view> t;
    std::vector<std::string_view> v1;
    std::string_view rest(*value);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (item.substr(0, 2) == "t=" && !t) t = item.substr(2);
        if (item.substr(0, 3) == "v1=") v1.push_back(item.substr(3));
    }
    const auto seconds = t ? parse_unix_seconds(*t) : std::nullopt;
    if (!seconds || v1.empty()) {
        return std::string(kHeader) + " is malformed: expected t=<Unix seconds>,v1=<hex>";
    }
    if (auto late = outside_window(std::string(kHeader) + " timestamp", *seconds, request.now,
                                   request.tolerance_s)) {
        return late;
    }
    const Digest expected = hmac_sha256(key, {*t, ".", request.body});
    bool matched = false;
    // No early exit: every candidate costs the same whether one matched.
    for (const std::string_view candidate : v1) {
        try {
            const Digest given = Poco::DigestEngine::digestFromHex(std::string(candidate));
            if (Poco::DigestEngine::constantTimeEquals(given, expected)) matched = true;
        } catch (const Poco::DataFormatException &) {
            // Not hex: matches nothing.
        }
    }
    if (!matched) return std::string("no v1 signature in ") + kHeader + " matches the body";
    return std::nullopt;
}

}  // namespace nb::webhook::auth
