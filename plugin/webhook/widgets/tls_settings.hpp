#pragma once

#include <string>
#include <string_view>

#include <nb/status.h>

#include "tls/server_context.hpp"

namespace nb::webhook {

// The validated values of the HTTPS widgets: tls_cert, tls_key,
// tls_client_ca, tls_reload_s. The files are only named here; they are read
// when the port starts. Settings hands these names over; a failed set keeps
// the previous value.
class TlsSettings {
public:
    TlsSettings();

    static bool owns(std::string_view name) noexcept;

    // As Settings::set, for a name owns() accepts. tls_key may be env:NAME,
    // the variable holding the key's path, read now.
    nb_status_t set(std::string_view name, std::string_view value, std::string &error);
    // The canonical text; for tls_key the path, or the env:NAME reference.
    const char *get(std::string_view name) const noexcept;

    // A port speaks HTTPS when tls_cert is set.
    bool enabled() const noexcept { return !files_.cert.empty(); }
    const net::tls::TlsFiles &files() const noexcept { return files_; }
    unsigned reload_s() const noexcept { return reload_s_; }

    // "" when the widgets make sense together, else why not (checked at
    // start: any order of set_widget calls is fine).
    std::string incomplete() const;

private:
    net::tls::TlsFiles files_;
    std::string key_shown_;
    unsigned reload_s_ = 0;
    std::string reload_text_;
};

}  // namespace nb::webhook
