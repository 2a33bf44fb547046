#include "router.hpp"

#include "request_path.hpp"

namespace nb::webhook {

Routed route(const RouteTable &routes, const RequestHead &head) {
    auto ticket = routes.acquire(request_path(head.target));
    if (!ticket) return error_answer(404, "no webhook on this path");
    return WebhookExchange(std::move(*ticket));
}

}  // namespace nb::webhook
