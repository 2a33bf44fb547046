#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nb/status.h>

#include "auth/gate.hpp"

namespace nb::webhook {

// The validated values of the widgets of verified senders: auth, secret,
// tolerance_s, dedupe_window_s, allow_from, bind, trusted_proxies (each per
// node but bind, which the port's nodes must agree on). Settings hands
// these names over; a failed set keeps the previous value.
class AccessSettings {
public:
    AccessSettings();

    static bool owns(std::string_view name) noexcept;

    // As Settings::set, for a name owns() accepts and a non-null value. The
    // secret is resolved here (env:NAME read now); setting it to kSecretMask,
    // what get shows, keeps the current secret, so that a host copying
    // widget values back does not replace the secret with the mask.
    nb_status_t set(std::string_view name, std::string_view value, std::string &error);

    // The canonical text; for secret "" (none), the env:NAME reference, or
    // kSecretMask: never the secret itself.
    const char *get(std::string_view name) const noexcept;

    // What a gate made at start checks.
    const auth::GateConfig &gate() const noexcept { return gate_; }
    auth::Scheme scheme() const noexcept { return gate_.scheme; }
    const std::string &secret() const noexcept { return gate_.secret; }
    std::int64_t tolerance_s() const noexcept { return gate_.tolerance_s; }
    std::int64_t dedupe_window_s() const noexcept { return gate_.dedupe_window_s; }
    const auth::AllowList &allow_from() const noexcept { return gate_.allow_from; }
    // Canonical address to listen on, "" for all interfaces.
    const std::string &bind() const noexcept { return bind_; }

private:
    bool set_number(std::string_view name, std::string_view value, std::string &error);

    auth::GateConfig gate_;
    std::string secret_shown_;
    std::string tolerance_text_;
    std::string dedupe_text_;
    std::string allow_text_;
    std::string trusted_text_;
    std::string bind_;
};

}  // namespace nb::webhook
