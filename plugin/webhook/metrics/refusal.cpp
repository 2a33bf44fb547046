#include "refusal.hpp"

namespace nb::webhook::metrics {

const char *refusal_name(Refusal refusal) noexcept {
    switch (refusal) {
    case Refusal::none: return "";
    case Refusal::allow_from: return "allow_from";
    case Refusal::method: return "method";
    case Refusal::too_large: return "too_large";
    case Refusal::bad_utf8: return "bad_utf8";
    case Refusal::too_many_parameters: return "too_many_parameters";
    case Refusal::signature: return "signature";
    case Refusal::replay: return "replay";
    case Refusal::duplicate: return "duplicate";
    case Refusal::in_flight: return "in_flight";
    case Refusal::backpressure: return "backpressure";
    case Refusal::store_failing: return "store_failing";
    case Refusal::stopping: return "stopping";
    case Refusal::timeout: return "timeout";
    case Refusal::malformed: return "malformed";
    case Refusal::response_timeout: return "response_timeout";
    }
    return "";
}

Refusal refusal_of(const net::Exchange &exchange) noexcept {
    switch (exchange.ending) {
    case net::Ending::answered:
        break;
    case net::Ending::client_gone:
        // An answer begun is what the client was refused, if anything.
        if (exchange.status == 0) return Refusal::none;
        break;
    case net::Ending::bad_head:
        return Refusal::none;  // never reaches a node: nb_webhook_unrouted_requests_total
    case net::Ending::too_large:
        return Refusal::too_large;
    case net::Ending::malformed_body:
        return Refusal::malformed;
    case net::Ending::timeout:
        return Refusal::timeout;
    case net::Ending::answer_timeout:
        return Refusal::response_timeout;
    case net::Ending::stopping:
    case net::Ending::abandoned:
        return Refusal::stopping;
    }
    const int tag = exchange.tag;
    return tag > 0 && tag < static_cast<int>(kRefusalCount) ? static_cast<Refusal>(tag)
                                                            : Refusal::none;
}

}  // namespace nb::webhook::metrics
