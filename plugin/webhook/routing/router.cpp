#include "router.hpp"

#include "request_path.hpp"

namespace nb::webhook {

Routed route(const RouteTable &routes, const RequestHead &head) {
    auto ticket = routes.acquire(request_path(head.target));
    if (!ticket) {
        Answer answer = error_answer(404, "no webhook on this path");
        // Its body is not read: the connection cannot go on after it.
        answer.close = head.has_body();
        return answer;
    }
    return WebhookExchange(std::move(*ticket));
}

}  // namespace nb::webhook
