#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "allow_list.hpp"
#include "trusted_proxies.hpp"
#include "http/header_fields.hpp"
#include "scheme.hpp"
#include "clock.hpp"
#include "delivery_cache.hpp"
#include "verifier.hpp"

namespace nb::webhook::auth {

// What a gate checks, as the node's widgets set it.
struct GateConfig {
    Scheme scheme = Scheme::none;
    std::string secret;  // resolved: never an env: reference
    std::int64_t tolerance_s = 0;
    std::int64_t dedupe_window_s = 0;  // 0: dedupe off
    AllowList allow_from;
    TrustedProxies trusted_proxies;
};

// Everything a request must pass before it may trigger a node, frozen at the
// node's start: who the client is (trusted_proxies) and whether it may call
// (403), the sender's proof (401), and whether this delivery already ran
// (200 duplicate). Shared by the node's handlers.
class Gate {
public:
    Gate(AllowList allow, TrustedProxies proxies, Verifier verifier,
         std::int64_t dedupe_window_s, Clock clock);

    // See TrustedProxies::forwarded_client.
    std::optional<IpBytes> forwarded_client(const IpBytes &peer,
                                            const net::HeaderFields &headers) const {
        return proxies_.forwarded_client(peer, headers);
    }
    bool allows(const IpBytes &client) const noexcept { return allow_.allows(client); }

    // On the raw body bytes, before anything parses them.
    Failure verify(const net::HeaderFields &headers, std::string_view body) const;

    // The sender's delivery id (svix-id or webhook-id, as the standard-webhooks
    // check picks its header family; else X-GitHub-Delivery, else
    // Idempotency-Key); nullopt when the request carries none.
    std::optional<std::string> delivery_id(const net::HeaderFields &headers) const;

    // dedupe_window_s is set: claim may be called.
    bool dedupes() const noexcept { return deliveries_ != nullptr; }

    // When dedupes(), for an id delivery_id returned: see DeliveryCache::claim.
    DeliveryCache::Attempt claim(const std::string &id) const;

private:
    const AllowList allow_;
    const TrustedProxies proxies_;
    const Verifier verifier_;
    const std::unique_ptr<DeliveryCache> deliveries_;  // null: dedupe off
    const Clock clock_;
};

// The gate `config` describes. nullptr with `error` when the scheme cannot
// work with the secret (empty, or not whsec_<base64> for standard-webhooks).
std::shared_ptr<Gate> make_gate(const GateConfig &config, Clock clock, std::string &error);

}  // namespace nb::webhook::auth
