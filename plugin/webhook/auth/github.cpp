#include <Poco/Exception.h>

#include "digest.hpp"
#include "signed_request.hpp"

// GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>.
namespace nb::webhook::auth {

Failure verify_github(const SignedRequest &request, std::string_view key) {
    constexpr const char *kHeader = "X-Hub-Signature-256";
    constexpr std::string_view kPrefix = "sha256=";
    const auto value = header(request, "x-hub-signature-256");
    if (!value) return missing(kHeader);
    const auto malformed = [] {
        return std::string(kHeader) + " is malformed: expected sha256=<64 hex digits>";
    };
    if (value->compare(0, kPrefix.size(), kPrefix) != 0) return malformed();
    Digest given;
    try {
        given = Poco::DigestEngine::digestFromHex(value->substr(kPrefix.size()));
    } catch (const Poco::DataFormatException &) {  // odd length, or not hex
        return malformed();
    }
    if (given.size() != 32) return malformed();
    if (!Poco::DigestEngine::constantTimeEquals(given, hmac_sha256(key, {request.body}))) {
        return std::string(kHeader) + " does not match the body";
    }
    return std::nullopt;
}

}  // namespace nb::webhook::auth
