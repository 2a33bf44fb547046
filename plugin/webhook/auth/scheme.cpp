#include "scheme.hpp"

#include "encoding.hpp"

namespace nb::webhook::auth {

std::optional<Scheme> parse_scheme(std::string_view name) noexcept {
    for (std::uint32_t i = 0; i < kSchemeCount; ++i) {
        if (name == kSchemeNames[i]) return static_cast<Scheme>(i);
    }
    return std::nullopt;
}

const char *scheme_name(Scheme scheme) noexcept {
    return kSchemeNames[static_cast<std::uint32_t>(scheme)];
}

std::optional<std::string> signing_key(Scheme scheme, std::string_view secret,
                                       std::string &error) {
    const std::string prefix = std::string("auth ") + scheme_name(scheme) + " ";
    if (secret.empty()) {
        error = prefix + "needs a secret: set the secret widget (or secret = env:NAME)";
        return std::nullopt;
    }
    if (scheme != Scheme::standard_webhooks) return std::string(secret);
    constexpr std::string_view kPrefix = "whsec_";
    if (secret.substr(0, kPrefix.size()) == kPrefix) secret.remove_prefix(kPrefix.size());
    auto key = base64_decode(secret);
    if (!key) error = prefix + "needs a secret of the form whsec_<base64 key>";
    return key;
}

}  // namespace nb::webhook::auth
