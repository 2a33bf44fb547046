#include "settings.hpp"

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
}

nb_status_t Settings::set(std::string_view name, const char *value, std::string &error) {
    const bool access = AccessSettings::owns(name);
    if (name != kWidgetPort && name != kWidgetPath && name != kWidgetMaxBody &&
        name != kWidgetReadTimeout && name != kWidgetMethods && !access) {
        error = "unknown widget \"" + std::string(name) + "\"; the webhook has port, path, " +
                "max_body_bytes, read_timeout_s, auth, secret, tolerance_s, dedupe_window_s, "
                "allow_from, bind and methods";
        return NB_ERR_UNKNOWN;
    }
    if (!value) {
        error = std::string(name) + " needs a value, got none";
        return NB_ERR_INVALID;
    }
    if (access) return access_.set(name, value, error);
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
    if (name == kWidgetReadTimeout) {
        const auto parsed =
            parse_integer_widget(name, text, kMinReadTimeout, kMaxReadTimeout, error);
        if (!parsed) return NB_ERR_INVALID;
        read_timeout_s_ = static_cast<unsigned>(*parsed);
        read_timeout_text_ = std::to_string(*parsed);
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
    return access_.get(name);
}

}  // namespace nb::webhook
