#include "gate.hpp"

#include <algorithm>
#include <string_view>

#include "standard_webhooks.hpp"

namespace nb::webhook::auth {

Gate::Gate(AllowList allow, TrustedProxies proxies, Verifier verifier,
           std::int64_t dedupe_window_s, Clock clock)
    : allow_(std::move(allow)), proxies_(std::move(proxies)), verifier_(std::move(verifier)),
      deliveries_(dedupe_window_s > 0 ? std::make_unique<DeliveryCache>(dedupe_window_s)
                                      : nullptr),
      clock_(std::move(clock)) {}

Failure Gate::verify(const net::HeaderFields &headers,
                     std::string_view body) const {
    return verifier_.verify(headers, body, clock_());
}

std::optional<std::string> Gate::delivery_id(
    const net::HeaderFields &headers) const {
    // Asked of every request, and most carry no id: one pass over the names
    // settles that before the lookups below.
    const bool may_have_id = std::any_of(headers.begin(), headers.end(), [](const auto &field) {
        const std::string_view name = field.first;
        return name.rfind("svix-", 0) == 0 || name.rfind("webhook-", 0) == 0 ||
               name == "x-github-delivery" || name == "idempotency-key";
    });
    if (!may_have_id) return std::nullopt;
    // svix-id or webhook-id: the one of the family the signature check reads.
    if (auto id = standard_webhooks_id(headers)) return id;
    for (const char *name : {"x-github-delivery", "idempotency-key"}) {
        if (const std::string *id = headers.find(name)) return *id;
    }
    return std::nullopt;
}

DeliveryCache::Attempt Gate::claim(const std::string &id) const {
    return deliveries_->claim(id, clock_());
}

std::shared_ptr<Gate> make_gate(const GateConfig &config, Clock clock, std::string &error) {
    std::string key;
    if (config.scheme != Scheme::none) {
        auto prepared = signing_key(config.scheme, config.secret, error);
        if (!prepared) return nullptr;
        key = std::move(*prepared);
    }
    return std::make_shared<Gate>(config.allow_from, config.trusted_proxies,
                                  Verifier(config.scheme, std::move(key), config.tolerance_s),
                                  config.dedupe_window_s, std::move(clock));
}

}  // namespace nb::webhook::auth
