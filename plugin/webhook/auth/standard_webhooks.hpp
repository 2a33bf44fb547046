#pragma once

#include <optional>
#include <string>

#include "http/header_fields.hpp"

namespace nb::webhook::auth {

// The message id of the header family verify_standard_webhooks reads
// (svix-id or webhook-id, by the rule in standard_webhooks.cpp); nullopt when
// that family has no id. Deduplicating on it keeps the id the signature
// covers, whichever spelling the sender used.
std::optional<std::string> standard_webhooks_id(const net::HeaderFields &headers);

}  // namespace nb::webhook::auth
