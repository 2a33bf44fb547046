#pragma once

#include <optional>
#include <variant>

#include "http/request_head.hpp"
#include "http/responses.hpp"
#include "http/webhook_exchange.hpp"
#include "route_table.hpp"

namespace nb::webhook {

// Where a parsed request head goes: a node's exchange when its path is a
// node's exact path, else an answer (404) at once, its body unread.
using Routed = std::variant<WebhookExchange, Answer>;

// [server-thread] Counts the request in flight for its node (see RouteTable::acquire).
Routed route(const RouteTable &routes, const RequestHead &head);

}  // namespace nb::webhook
