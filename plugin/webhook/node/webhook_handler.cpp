#include "webhook_handler.hpp"

#include "http/request_json.hpp"
#include "http/request_path.hpp"
#include "utf8.hpp"

namespace nb::webhook {
namespace {

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kDuplicateBody = R"({"status":"ok","duplicate":true})";

net::Answer retry_later(std::string_view why) {
    net::Answer answer = net::error_answer(503, why);
    answer.extra_headers = "Retry-After: 1\r\n";
    return answer;
}

// What the host's refusal means to the sender: come again, or not.
net::Answer refused(nb_trigger_result_t result) {
    if (result == NB_TRIGGER_QUEUE_FULL) return retry_later("the workflow queue is full; retry later");
    return net::error_answer(500, "the host could not run the workflow");
}

}  // namespace

std::optional<net::Answer> WebhookHandler::on_head(const net::RequestHead &head,
                                                   const net::Peer &peer) {
    const Endpoint &endpoint = *endpoint_;
    if (!endpoint.gate->allows(peer.address.host())) {
        return net::error_answer(403, "client address " + peer.address.host().toString() +
                                          " is not allowed (allow_from)");
    }
    // HEAD is never in the set: it would start a run and answer nothing.
    if (!endpoint.methods.contains(head.method)) {
        net::Answer answer =
            net::error_answer(405, "only " + endpoint.methods.text() + " may be used on this path");
        answer.extra_headers = endpoint.allow_header;
        return answer;
    }
    if (head.framing == net::BodyFraming::length && head.content_length > endpoint.max_body_bytes) {
        return net::too_large_answer(endpoint.max_body_bytes);
    }
    // Before the body too: a flood of parameters costs no more than its head.
    net::QueryJson query = net::query_json(net::request_query(head.target));
    switch (query.error) {
    case net::QueryJson::Error::none:
        break;
    case net::QueryJson::Error::bad_utf8:
        return net::error_answer(400, "query string is not valid UTF-8");
    case net::QueryJson::Error::too_many:
        return net::error_answer(414, "the query string has more than " +
                                          std::to_string(net::kMaxQueryParameters) +
                                          " parameters");
    }
    query_json_ = std::move(query.json);
    return std::nullopt;
}

std::optional<net::Answer> WebhookHandler::on_body(const net::RequestHead &head,
                                                   std::string &body, const net::Peer &peer,
                                                   net::Parker &) {
    Endpoint &endpoint = *endpoint_;
    // On the raw bytes, before anything parses them.
    if (const auth::Failure failure = endpoint.gate->verify(head.headers, body)) {
        return net::error_answer(401, *failure);
    }
    if (!is_valid_utf8(body)) return net::error_answer(400, "body is not valid UTF-8");
    const std::string headers = net::headers_json(head.headers);
    const nb_event_t event = {NB_VERSION_INIT,     head.method.c_str(),
                              endpoint.path.c_str(), body.c_str(),
                              body.size(),         headers.c_str(),
                              headers.size(),      query_json_.c_str(),
                              query_json_.size(),  peer.text.c_str(), nullptr};

    std::optional<auth::DeliveryCache::Claim> claim;
    if (const auto id = endpoint.gate->delivery_id(head.headers)) {
        auto attempt = endpoint.gate->claim(*id);
        switch (attempt.outcome) {
        case auth::DeliveryCache::Outcome::duplicate:
            return net::json_answer(200, kDuplicateBody);
        case auth::DeliveryCache::Outcome::busy:
            return retry_later("a delivery with this id is being handled; retry later");
        case auth::DeliveryCache::Outcome::claimed:
            claim.emplace(std::move(*attempt.claim));
            break;
        }
    }
    // Made before the trigger: once the host accepted, nothing may throw,
    // or the sender would be told 500 and run the event again.
    net::Answer accepted = net::json_answer(200, kOkBody);
    nb_trigger_result_t result = NB_TRIGGER_FAILED;
    if (!endpoint.trigger(event, result)) {
        return net::error_answer(503, "this path is no longer served; retry later");
    }
    if (result != NB_TRIGGER_ACCEPTED) return refused(result);
    // Only an accepted delivery is remembered: a refused one will be retried.
    if (claim) claim->accept();
    return accepted;
}

}  // namespace nb::webhook
