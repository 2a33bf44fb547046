#include "webhook_handler.hpp"

#include <cstring>

#include <nb/delivery.h>

#include "auth/ip_range.hpp"
#include "http/request_json.hpp"
#include "http/request_path.hpp"
#include "metrics/refusal.hpp"
#include "outcome_answer.hpp"
#include "pending_outcome.hpp"
#include "utf8.hpp"

namespace nb::webhook {
namespace {

using metrics::Refusal;

net::Answer refused(int status, std::string_view message, Refusal refusal) {
    return metrics::tagged(net::error_answer(status, message), refusal);
}

// An event with its NB_EXT_DELIVERY, found from the event's own address:
// the event is the first member.
struct DeliveredEvent {
    nb_event_t event;
    nb_event_delivery_t delivery;
};

// [thread-safe] nb_event_t.get_extension of the events this handler makes.
const void *event_extension(const nb_event_t *event, const char *id) noexcept {
    if (!event || !id || std::strcmp(id, NB_EXT_DELIVERY) != 0) return nullptr;
    return &reinterpret_cast<const DeliveredEvent *>(event)->delivery;
}

}  // namespace

std::optional<net::Answer> WebhookHandler::on_head(const net::RequestHead &head,
                                                   const net::Peer &peer) {
    const Endpoint &endpoint = *endpoint_;
    if (endpoint.closed()) return node_stopping_answer();
    const auth::IpBytes peer_ip = auth::IpBytes::of(peer.address.host());
    const auto forwarded = endpoint.gate->forwarded_client(peer_ip, head.headers);
    const auth::IpBytes &client = forwarded ? *forwarded : peer_ip;
    if (!endpoint.gate->allows(client)) {
        return refused(403, "client address " + auth::ip_text(client) + " is not allowed (allow_from)",
                       Refusal::allow_from);
    }
    if (forwarded) forwarded_addr_ = auth::ip_text(*forwarded);
    // HEAD is never in the set: it would start a run and answer nothing.
    if (!endpoint.methods.contains(head.method)) {
        net::Answer answer = refused(
            405, "only " + endpoint.methods.text() + " may be used on this path", Refusal::method);
        answer.extra_headers = endpoint.allow_header;
        return answer;
    }
    if (head.framing == net::BodyFraming::length && head.content_length > endpoint.max_body_bytes) {
        return metrics::tagged(net::too_large_answer(endpoint.max_body_bytes), Refusal::too_large);
    }
    // Before the body too: a flood of parameters costs no more than its head.
    net::QueryJson query = net::query_json(net::request_query(head.target));
    switch (query.error) {
    case net::QueryJson::Error::none:
        break;
    case net::QueryJson::Error::bad_utf8:
        return refused(400, "query string is not valid UTF-8", Refusal::bad_utf8);
    case net::QueryJson::Error::too_many:
        return refused(414,
                       "the query string has more than " +
                           std::to_string(net::kMaxQueryParameters) + " parameters",
                       Refusal::too_many_parameters);
    }
    query_json_ = std::move(query.json);
    return std::nullopt;
}

std::optional<net::Answer> WebhookHandler::on_body(const net::RequestHead &head, std::string &body,
                                                   const net::Peer &peer, net::Parker &parker) {
    Endpoint &endpoint = *endpoint_;
    // On the raw bytes, before anything parses them.
    if (const auth::Failure failure = endpoint.gate->verify(head.headers, body)) {
        return refused(401, failure->message, failure->replay ? Refusal::replay : Refusal::signature);
    }
    if (!is_valid_utf8(body)) return refused(400, "body is not valid UTF-8", Refusal::bad_utf8);
    const std::string headers = net::headers_json(head.headers);
    delivery_id_ = endpoint.gate->delivery_id(head.headers);
    const std::optional<std::string> &id = delivery_id_;
    const DeliveredEvent delivered{
        {NB_VERSION_INIT, head.method.c_str(), endpoint.path.c_str(), body.c_str(), body.size(),
         headers.c_str(), headers.size(), query_json_.c_str(), query_json_.size(),
         forwarded_addr_.empty() ? peer.text.c_str() : forwarded_addr_.c_str(), event_extension},
        {id ? id->data() : nullptr, id ? id->size() : 0, endpoint.answering.dedupe_window_s}};

    // A host that dedupes as it stores answers duplicates itself; for any
    // other, the node's own cache does.
    std::optional<auth::DeliveryCache::Claim> claim;
    const bool host_dedupes = endpoint.async && (endpoint.async->flags & NB_ASYNC_HOST_DEDUPES);
    if (id && !host_dedupes && endpoint.gate->dedupes()) {
        auto attempt = endpoint.gate->claim(*id);
        switch (attempt.outcome) {
        case auth::DeliveryCache::Outcome::duplicate:
            return duplicate_answer();
        case auth::DeliveryCache::Outcome::busy:
            return retry_later("a delivery with this id is being handled; retry later",
                               Refusal::in_flight);
        case auth::DeliveryCache::Outcome::claimed:
            claim.emplace(std::move(*attempt.claim));
            break;
        }
    }
    if (endpoint.async) return PendingOutcome::submit(endpoint_, delivered.event, parker, std::move(claim));
    // A 1.0 host decides inside trigger. The answers are made before it:
    // once the host accepted, nothing may throw, or the sender would be told
    // 500 and send the event again.
    net::Answer accepted = trigger_answer(NB_TRIGGER_ACCEPTED);
    nb_trigger_result_t result = NB_TRIGGER_FAILED;
    if (!endpoint.call_host(
            [&] { result = endpoint.host->trigger(endpoint.host, endpoint.node, &delivered.event); })) {
        return node_stopping_answer();
    }
    if (result != NB_TRIGGER_ACCEPTED) return trigger_answer(result);
    // Only an accepted delivery is remembered: a refused one will be retried.
    if (claim) claim->accept();
    return accepted;
}

void WebhookHandler::on_finished(const net::Exchange &exchange) noexcept {
    const Endpoint &endpoint = *endpoint_;
    const Refusal refusal = metrics::refusal_of(exchange);
    endpoint.metrics->count(exchange, refusal);
    if (!endpoint.access_log) return;
    endpoint.access_log.record(
        exchange, {endpoint.node,
                   forwarded_addr_.empty() ? exchange.peer.text.c_str() : forwarded_addr_.c_str(),
                   endpoint.port, delivery_id_ ? delivery_id_->c_str() : "", refusal});
}

}  // namespace nb::webhook
