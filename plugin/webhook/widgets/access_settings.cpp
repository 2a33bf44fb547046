#include "access_settings.hpp"

#include "auth/ip_range.hpp"
#include "auth/secret.hpp"
#include "json_text.hpp"
#include "limits.hpp"
#include "validate.hpp"

namespace nb::webhook {

AccessSettings::AccessSettings() {
    std::string unused;
    for (const auto &[name, value] :
         {std::pair{kWidgetAuth, kDefaultAuth}, std::pair{kWidgetSecret, kDefaultSecret},
          std::pair{kWidgetTolerance, kDefaultTolerance},
          std::pair{kWidgetDedupeWindow, kDefaultDedupeWindow},
          std::pair{kWidgetAllowFrom, kDefaultAllowFrom}, std::pair{kWidgetBind, kDefaultBind},
          std::pair{kWidgetTrustedProxies, kDefaultTrustedProxies}}) {
        set(name, value, unused);
    }
}

bool AccessSettings::owns(std::string_view name) noexcept {
    return name == kWidgetAuth || name == kWidgetSecret || name == kWidgetTolerance ||
           name == kWidgetDedupeWindow || name == kWidgetAllowFrom || name == kWidgetBind ||
           name == kWidgetTrustedProxies;
}

nb_status_t AccessSettings::set(std::string_view name, std::string_view value,
                                std::string &error) {
    if (name == kWidgetAuth) {
        const auto scheme = auth::parse_scheme(value);
        if (!scheme) {
            error = "auth must be one of none, github, standard-webhooks, stripe, token, got " +
                    quoted_value(value);
            return NB_ERR_INVALID;
        }
        gate_.scheme = *scheme;
    } else if (name == kWidgetSecret) {
        if (value == kSecretMask) return NB_OK;
        auto secret = auth::resolve_secret(value, error);
        if (!secret) return NB_ERR_INVALID;
        gate_.secret = std::move(*secret);
        secret_shown_ = auth::is_env_reference(value) ? std::string(value)
                        : value.empty()         ? std::string()
                                                : std::string(kSecretMask);
    } else if (name == kWidgetAllowFrom || name == kWidgetTrustedProxies) {
        auto list = auth::IpList::parse(name, value, error);
        if (!list) return NB_ERR_INVALID;
        if (name == kWidgetAllowFrom) {
            gate_.allow_from = auth::AllowList(std::move(*list));
            allow_text_ = value;
        } else {
            gate_.trusted_proxies = auth::TrustedProxies(std::move(*list));
            trusted_text_ = value;
        }
    } else if (name == kWidgetBind) {
        const auto ip =
            value.empty() ? std::optional<auth::IpBytes>() : auth::parse_ip_literal(value);
        if (!value.empty() && !ip) {
            error = "bind must be an IPv4 or IPv6 address (like 127.0.0.1 or ::1), or empty for "
                    "all interfaces, got " +
                    quoted_value(value);
            return NB_ERR_INVALID;
        }
        bind_ = ip ? auth::ip_text(*ip) : std::string();
    } else if (!set_number(name, value, error)) {
        return NB_ERR_INVALID;
    }
    return NB_OK;
}

bool AccessSettings::set_number(std::string_view name, std::string_view value,
                                std::string &error) {
    const bool tolerance = name == kWidgetTolerance;
    const auto parsed =
        tolerance ? parse_integer_widget(name, value, kMinTolerance, kMaxTolerance, error)
                  : parse_integer_widget(name, value, kMinDedupeWindow, kMaxDedupeWindow, error);
    if (!parsed) return false;
    (tolerance ? gate_.tolerance_s : gate_.dedupe_window_s) = *parsed;
    (tolerance ? tolerance_text_ : dedupe_text_) = std::to_string(*parsed);
    return true;
}

const char *AccessSettings::get(std::string_view name) const noexcept {
    if (name == kWidgetAuth) return auth::scheme_name(gate_.scheme);
    if (name == kWidgetSecret) return secret_shown_.c_str();
    if (name == kWidgetTolerance) return tolerance_text_.c_str();
    if (name == kWidgetDedupeWindow) return dedupe_text_.c_str();
    if (name == kWidgetAllowFrom) return allow_text_.c_str();
    if (name == kWidgetBind) return bind_.c_str();
    if (name == kWidgetTrustedProxies) return trusted_text_.c_str();
    return nullptr;
}

}  // namespace nb::webhook
