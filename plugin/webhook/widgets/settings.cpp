#include "settings.hpp"

#include <iterator>

#include "json_text.hpp"
#include "limits.hpp"
#include "validate.hpp"

namespace nb::webhook {

Settings::Settings() {
    std::string unused;
    set(kWidgetPort, kDefaultPort, unused);
    set(kWidgetPath, kDefaultPath, unused);
    set(kWidgetMaxBody, kDefaultMaxBody, unused);
    set(kWidgetReadTimeout, kDefaultReadTimeout, unused);
    set(kWidgetMethods, kDefaultMethods, unused);
    set(kWidgetRespond, kDefaultRespond, unused);
    set(kWidgetResponseTimeout, kDefaultResponseTimeout, unused);
}

std::optional<Settings::Seconds> Settings::seconds_widget(std::string_view name) noexcept {
    if (name == kWidgetReadTimeout) {
        return Seconds{kMinReadTimeout, kMaxReadTimeout, read_timeout_s_, read_timeout_text_};
    }
    if (name == kWidgetResponseTimeout) {
        return Seconds{kMinResponseTimeout, kMaxResponseTimeout, response_timeout_s_,
                       response_timeout_text_};
    }
    return std::nullopt;
}

nb_status_t Settings::set(std::string_view name, const char *value, std::string &error) {
    const bool access = AccessSettings::owns(name);
    const bool tls = TlsSettings::owns(name);
    const auto seconds = seconds_widget(name);
    if (name != kWidgetPort && name != kWidgetPath && name != kWidgetMaxBody &&
        name != kWidgetMethods && name != kWidgetRespond && !seconds && !access && !tls) {
        error = "unknown widget \"" + std::string(name) + "\"; the webhook has port, path, " +
                "max_body_bytes, read_timeout_s, auth, secret, tolerance_s, dedupe_window_s, "
                "allow_from, bind, methods, respond, response_timeout_s, trusted_proxies, "
                "tls_cert, tls_key, tls_client_ca and tls_reload_s";
        return NB_ERR_UNKNOWN;
    }
    if (!value) {
        error = std::string(name) + " needs a value, got none";
        return NB_ERR_INVALID;
    }
    if (access) return access_.set(name, value, error);
    if (tls) return tls_.set(name, value, error);
    const std::string_view text(value);
    if (name == kWidgetPath) {
        if (!is_valid_webhook_path(text, error)) return NB_ERR_INVALID;
        path_ = text;
        return NB_OK;
    }
    if (name == kWidgetMethods) {
        auto methods = MethodSet::parse(text, error);
        if (!methods) return NB_ERR_INVALID;
        methods_ = std::move(*methods);
        return NB_OK;
    }
    if (name == kWidgetRespond) {
        for (std::size_t i = 0; i < std::size(kRespondChoices); ++i) {
            if (text == kRespondChoices[i]) {
                respond_ = static_cast<Respond>(i);
                return NB_OK;
            }
        }
        error = "respond must be immediately or when_finished, got " + quoted_value(text);
        return NB_ERR_INVALID;
    }
    if (seconds) {
        const auto parsed = parse_integer_widget(name, text, seconds->min, seconds->max, error);
        if (!parsed) return NB_ERR_INVALID;
        seconds->value = static_cast<unsigned>(*parsed);
        seconds->text = std::to_string(*parsed);
        return NB_OK;
    }
    const bool is_port = name == kWidgetPort;
    const auto parsed = is_port ? parse_integer_widget(name, text, kMinPort, kMaxPort, error)
                                : parse_integer_widget(name, text, kMinMaxBody, kMaxMaxBody, error);
    if (!parsed) return NB_ERR_INVALID;
    if (is_port) {
        port_ = static_cast<std::uint16_t>(*parsed);
        port_text_ = std::to_string(*parsed);
    } else {
        max_body_ = static_cast<std::uint64_t>(*parsed);
        max_body_text_ = std::to_string(*parsed);
    }
    return NB_OK;
}

const char *Settings::get(std::string_view name) const noexcept {
    if (name == kWidgetPort) return port_text_.c_str();
    if (name == kWidgetPath) return path_.c_str();
    if (name == kWidgetMaxBody) return max_body_text_.c_str();
    if (name == kWidgetReadTimeout) return read_timeout_text_.c_str();
    if (name == kWidgetMethods) return methods_.text().c_str();
    if (name == kWidgetRespond) return kRespondChoices[static_cast<std::size_t>(respond_)];
    if (name == kWidgetResponseTimeout) return response_timeout_text_.c_str();
    if (const char *text = tls_.get(name)) return text;
    return access_.get(name);
}

}  // namespace nb::webhook
