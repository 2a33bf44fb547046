#include "webhook_exchange.hpp"

#include "request_json.hpp"
#include "routing/request_path.hpp"
#include "utf8.hpp"

namespace nb::webhook {
namespace {

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kDuplicateBody = R"({"status":"ok","duplicate":true})";

// Turns the host's verdict into the answer; 200 only for ACCEPTED.
Answer answer_trigger(nb_trigger_result_t result) {
    switch (result) {
    case NB_TRIGGER_ACCEPTED:
        return json_answer(200, kOkBody);
    case NB_TRIGGER_QUEUE_FULL: {
        Answer answer = error_answer(503, "the workflow queue is full; retry later");
        answer.extra_headers = "Retry-After: 1\r\n";
        return answer;
    }
    case NB_TRIGGER_FAILED:
        break;
    }
    return error_answer(500, "the host could not run the workflow");
}

}  // namespace

std::optional<Answer> WebhookExchange::check_head(const RequestHead &head,
                                                  const Poco::Net::SocketAddress &client) const {
    const RouteTarget &target = ticket_.target();
    if (!target.gate->allows(client.host())) {
        return error_answer(403, "client address " + client.host().toString() +
                                     " is not allowed (allow_from)");
    }
    if (head.method != "POST") {
        Answer answer = error_answer(405, "only POST is allowed on this path");
        answer.extra_headers = "Allow: POST\r\n";
        return answer;
    }
    if (head.framing == BodyFraming::length && head.content_length > target.max_body_bytes) {
        return error_answer(413, too_large());
    }
    return std::nullopt;
}

std::string WebhookExchange::too_large() const {
    return "body is larger than " + std::to_string(max_body_bytes()) + " bytes";
}

Answer WebhookExchange::deliver(const RequestHead &head, const std::string &body,
                                const std::string &client) const {
    const RouteTarget &target = ticket_.target();
    // On the raw bytes, before anything parses them.
    if (const auth::Failure failure = target.gate->verify(head.headers, body)) {
        return error_answer(401, *failure);
    }
    if (!is_valid_utf8(body)) return error_answer(400, "body is not valid UTF-8");
    const QueryJson query = query_json(request_query(head.target));
    switch (query.error) {
    case QueryJson::Error::none:
        break;
    case QueryJson::Error::bad_utf8:
        return error_answer(400, "query string is not valid UTF-8");
    case QueryJson::Error::too_many:
        return error_answer(414, "the query string has more than " +
                                     std::to_string(kMaxQueryParameters) + " parameters");
    }
    const std::string headers = headers_json(head.headers);

    const nb_event_t event = {NB_VERSION_INIT,    "POST",            target.path.c_str(),
                              body.c_str(),       body.size(),       headers.c_str(),
                              headers.size(),     query.json.c_str(), query.json.size(),
                              client.c_str()};
    const auto delivery = target.gate->delivery_id(head.headers);
    std::optional<auth::DeliveryCache::Claim> claim =
        delivery ? target.gate->claim(*delivery) : std::nullopt;
    if (delivery && !claim) return json_answer(200, kDuplicateBody);
    const nb_trigger_result_t result = target.host->trigger(target.host, target.node, &event);
    // Only an accepted delivery is remembered: a refused one will be retried.
    if (claim && result == NB_TRIGGER_ACCEPTED) claim->accept();
    return answer_trigger(result);
}

}  // namespace nb::webhook
