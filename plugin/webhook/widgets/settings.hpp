#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nb/status.h>

#include "access_settings.hpp"
#include "limits.hpp"
#include "methods.hpp"
#include "tls_settings.hpp"

namespace nb::webhook {

// The validated widget values of one node, each kept with its canonical text
// so that get_widget can hand out a stable C string.
class Settings {
public:
    Settings();

    // Parses and validates `value` for widget `name`. On failure returns
    // NB_ERR_INVALID or NB_ERR_UNKNOWN, fills `error` with a message naming the
    // widget and what is allowed, and keeps the previous value.
    nb_status_t set(std::string_view name, const char *value, std::string &error);

    // The canonical text of widget `name`, or nullptr for an unknown name.
    const char *get(std::string_view name) const noexcept;

    std::uint16_t port() const noexcept { return port_; }
    const std::string &path() const noexcept { return path_; }
    std::uint64_t max_body_bytes() const noexcept { return max_body_; }
    unsigned read_timeout_s() const noexcept { return read_timeout_s_; }
    const MethodSet &methods() const noexcept { return methods_; }
    Respond respond() const noexcept { return respond_; }
    unsigned response_timeout_s() const noexcept { return response_timeout_s_; }
    const AccessSettings &access() const noexcept { return access_; }
    const TlsSettings &tls() const noexcept { return tls_; }

private:
    // The integer widgets other than port and max_body_bytes: its bounds and
    // where its value and text go.
    struct Seconds {
        std::int64_t min, max;
        unsigned &value;
        std::string &text;
    };
    std::optional<Seconds> seconds_widget(std::string_view name) noexcept;

    std::uint16_t port_ = 0;
    std::uint64_t max_body_ = 0;
    unsigned read_timeout_s_ = 0;
    std::string port_text_;
    std::string path_;
    std::string max_body_text_;
    std::string read_timeout_text_;
    MethodSet methods_;
    Respond respond_ = Respond::immediately;
    unsigned response_timeout_s_ = 0;
    std::string response_timeout_text_;
    AccessSettings access_;  // auth, secret, ..., bind
    TlsSettings tls_;        // tls_cert, tls_key, tls_client_ca, tls_reload_s
};

}  // namespace nb::webhook
