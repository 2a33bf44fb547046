#include "digest.hpp"
#include "signed_request.hpp"

// Token: Authorization: Bearer <secret>.
namespace nb::webhook::auth {

Failure verify_token(const SignedRequest &request, std::string_view key) {
    constexpr const char *kHeader = "Authorization";
    constexpr std::string_view kBearer = "Bearer ";
    const auto value = header(request, "authorization");
    if (!value) return missing(kHeader);
    const std::string_view text(*value);
    if (text.substr(0, kBearer.size()) != kBearer || text.size() == kBearer.size()) {
        return std::string(kHeader) + " is malformed: expected Bearer <token>";
    }
    // Hashing both sides first makes the comparison's time independent of
    // the token's length too.
    if (!Poco::DigestEngine::constantTimeEquals(sha256(text.substr(kBearer.size())),
                                                sha256(key))) {
        return "the bearer token is wrong";
    }
    return std::nullopt;
}

}  // namespace nb::webhook::auth
