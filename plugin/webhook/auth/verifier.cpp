#include "verifier.hpp"

namespace nb::webhook::auth {

Failure Verifier::verify(const net::HeaderFields &headers, std::string_view body,
                         std::int64_t now) const {
    const SignedRequest request{headers, body, now, tolerance_s_};
    switch (scheme_) {
    case Scheme::none:
        return std::nullopt;
    case Scheme::github:
        return verify_github(request, key_);
    case Scheme::standard_webhooks:
        return verify_standard_webhooks(request, key_);
    case Scheme::stripe:
        return verify_stripe(request, key_);
    case Scheme::token:
        return verify_token(request, key_);
    }
    return std::string("unknown auth scheme");
}

}  // namespace nb::webhook::auth
