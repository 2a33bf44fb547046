#pragma once

#include <cstddef>

#include "http/responses.hpp"
#include "server/exchange.hpp"

namespace nb::webhook::metrics {

// Why a request was refused: the `reason` label of
// nb_webhook_refusals_total and the access record's `refusal`. A fixed list,
// so that the label's values stay bounded. The handler tags each answer with
// its reason (net::Answer::tag); the server's own answers are told by how the
// exchange ended.
enum class Refusal : int {
    none = 0,             // not a refusal
    allow_from,           // 403: the client's address is not in allow_from
    method,               // 405: a method the node does not take
    too_large,            // 413: the body is over max_body_bytes
    bad_utf8,             // 400: the body or the query string is not UTF-8
    too_many_parameters,  // 414: the query string has too many parameters
    signature,            // 401: the sender's proof is missing or wrong
    replay,               // 401: the signed timestamp is outside tolerance_s
    duplicate,            // 200: the delivery id was stored already
    in_flight,            // 503: a delivery with this id is being handled
    backpressure,         // 503: the host's queue is full
    store_failing,        // 503: the host could not store the event
    stopping,             // 503: the node, the host or the server is stopping
    timeout,              // 408: the request did not arrive within read_timeout_s
    malformed,            // 400: the body's framing is broken, or it ended early
    response_timeout,     // 504: no outcome within response_timeout_s
};
inline constexpr std::size_t kRefusalCount = static_cast<std::size_t>(Refusal::response_timeout) + 1;

// The label value ("" for none).
const char *refusal_name(Refusal refusal) noexcept;

// `answer`, tagged as refused for `refusal`.
inline net::Answer tagged(net::Answer answer, Refusal refusal) noexcept {
    answer.tag = static_cast<int>(refusal);
    return answer;
}

// Why `exchange` was refused: its answer's tag, or how the server ended it.
Refusal refusal_of(const net::Exchange &exchange) noexcept;

}  // namespace nb::webhook::metrics
