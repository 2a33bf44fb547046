#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/IPAddress.h>
#include "http/header_fields.hpp"

#include "access_settings.hpp"
#include "allow_list.hpp"
#include "clock.hpp"
#include "delivery_cache.hpp"
#include "verifier.hpp"

namespace nb::webhook::auth {

// Everything a request must pass before it may trigger a node, frozen at the
// node's start: who may call (403), the sender's proof (401), and whether
// this delivery already ran (200 duplicate). Shared by the node's handlers.
class Gate {
public:
    Gate(AllowList allow, Verifier verifier, std::int64_t dedupe_window_s, Clock clock);

    bool allows(const Poco::Net::IPAddress &client) const;

    // On the raw body bytes, before anything parses them.
    Failure verify(const HeaderFields &headers, std::string_view body) const;

    // The id to deduplicate on (svix-id or webhook-id, as the standard-webhooks
    // check picks its header family; else X-GitHub-Delivery, else
    // Idempotency-Key); nullopt when dedupe is off or the request carries none.
    std::optional<std::string> delivery_id(const HeaderFields &headers) const;

    // For an id delivery_id returned: nullopt for a duplicate, else the id's
    // claim while the delivery is offered to the host (DeliveryCache::claim).
    std::optional<DeliveryCache::Claim> claim(const std::string &id) const;

private:
    const AllowList allow_;
    const Verifier verifier_;
    const std::unique_ptr<DeliveryCache> deliveries_;  // null: dedupe off
    const Clock clock_;
};

// The gate `settings` describe. nullptr with `error` when the scheme cannot
// work with the secret (empty, or not whsec_<base64> for standard-webhooks).
std::shared_ptr<Gate> make_gate(const AccessSettings &settings, Clock clock, std::string &error);

// The seed's behaviour: everyone, no proof, no dedupe.
std::shared_ptr<Gate> open_gate();

}  // namespace nb::webhook::auth
