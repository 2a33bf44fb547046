#include "tls_settings.hpp"

#include "auth/secret.hpp"
#include "limits.hpp"
#include "validate.hpp"

namespace nb::webhook {

TlsSettings::TlsSettings() {
    std::string unused;
    for (const auto &[name, value] : {std::pair{kWidgetTlsCert, kDefaultTlsCert},
                                      std::pair{kWidgetTlsKey, kDefaultTlsKey},
                                      std::pair{kWidgetTlsClientCa, kDefaultTlsClientCa},
                                      std::pair{kWidgetTlsReload, kDefaultTlsReload}}) {
        set(name, value, unused);
    }
}

bool TlsSettings::owns(std::string_view name) noexcept {
    return name == kWidgetTlsCert || name == kWidgetTlsKey || name == kWidgetTlsClientCa ||
           name == kWidgetTlsReload;
}

nb_status_t TlsSettings::set(std::string_view name, std::string_view value, std::string &error) {
    if (name == kWidgetTlsCert) {
        files_.cert = value;
    } else if (name == kWidgetTlsClientCa) {
        files_.client_ca = value;
    } else if (name == kWidgetTlsKey) {
        auto path = auth::resolve_secret(value, error, kWidgetTlsKey);
        if (!path) return NB_ERR_INVALID;
        files_.key = std::move(*path);
        key_shown_ = value;
    } else {
        const auto parsed =
            parse_integer_widget(name, value, kMinTlsReload, kMaxTlsReload, error);
        if (!parsed) return NB_ERR_INVALID;
        reload_s_ = static_cast<unsigned>(*parsed);
        reload_text_ = std::to_string(*parsed);
    }
    return NB_OK;
}

const char *TlsSettings::get(std::string_view name) const noexcept {
    if (name == kWidgetTlsCert) return files_.cert.c_str();
    if (name == kWidgetTlsKey) return key_shown_.c_str();
    if (name == kWidgetTlsClientCa) return files_.client_ca.c_str();
    if (name == kWidgetTlsReload) return reload_text_.c_str();
    return nullptr;
}

std::string TlsSettings::incomplete() const {
    if (enabled() && files_.key.empty()) return "tls_cert needs tls_key, the file of its private key";
    if (!enabled() && (!files_.key.empty() || !files_.client_ca.empty())) {
        return "tls_key and tls_client_ca need tls_cert, the certificate the port serves";
    }
    return "";
}

}  // namespace nb::webhook
