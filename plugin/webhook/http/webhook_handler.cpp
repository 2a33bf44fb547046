#include "webhook_handler.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "body_reader.hpp"
#include "request_json.hpp"
#include "responses.hpp"
#include "routing/request_path.hpp"
#include "utf8.hpp"

namespace nb::webhook {
namespace {

using Status = Poco::Net::HTTPResponse::HTTPStatus;

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kDuplicateBody = R"({"status":"ok","duplicate":true})";

// Turns the host's verdict into the answer; 200 only for ACCEPTED.
void answer_trigger(Poco::Net::HTTPServerResponse &response, nb_trigger_result_t result) {
    switch (result) {
    case NB_TRIGGER_ACCEPTED:
        send_json(response, Status::HTTP_OK, kOkBody);
        return;
    case NB_TRIGGER_QUEUE_FULL:
        response.set("Retry-After", "1");
        send_error(response, Status::HTTP_SERVICE_UNAVAILABLE,
                   "the workflow queue is full; retry later");
        return;
    case NB_TRIGGER_FAILED:
        break;
    }
    send_error(response, Status::HTTP_INTERNAL_SERVER_ERROR, "the host could not run the workflow");
}

// 408 for a client gone silent (read_timeout_s), 400 for what Poco found
// malformed, 500 for anything else.
Status read_failure_status(const std::exception &e) {
    if (dynamic_cast<const Poco::TimeoutException *>(&e)) return Status::HTTP_REQUEST_TIMEOUT;
    if (dynamic_cast<const Poco::Exception *>(&e)) return Status::HTTP_BAD_REQUEST;
    return Status::HTTP_INTERNAL_SERVER_ERROR;
}

}  // namespace

void WebhookHandler::handleRequest(Poco::Net::HTTPServerRequest &request,
                                   Poco::Net::HTTPServerResponse &response) {
    // A broken chunk, a timeout or a reset while reading: answer if still
    // possible and close, rather than let Poco log and answer a bare 500.
    try {
        handle(request, response);
    } catch (const std::exception &e) {
        if (response.sent()) return;
        try {
            response.setKeepAlive(false);
            send_error(response, read_failure_status(e),
                       std::string("cannot read the request: ") + e.what());
        } catch (const std::exception &) {
            // The connection is gone; nothing is left to tell the client.
        }
    }
}

void WebhookHandler::handle(Poco::Net::HTTPServerRequest &request,
                            Poco::Net::HTTPServerResponse &response) {
    const RouteTarget &target = ticket_.target();
    // Before the body is read: a caller not allowed costs no more than its headers.
    if (!target.gate->allows(request.clientAddress().host())) {
        if (has_body(request)) response.setKeepAlive(false);
        send_error(response, Status::HTTP_FORBIDDEN,
                   "client address " + request.clientAddress().host().toString() +
                       " is not allowed (allow_from)");
        return;
    }
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
        if (has_body(request)) response.setKeepAlive(false);
        response.set("Allow", "POST");
        send_error(response, Status::HTTP_METHOD_NOT_ALLOWED, "only POST is allowed on this path");
        return;
    }

    std::string body;
    switch (read_body(request, target.max_body_bytes, body)) {
    case BodyRead::complete:
        break;
    case BodyRead::too_large:
        response.setKeepAlive(false);
        send_error(response, Status::HTTP_REQUEST_ENTITY_TOO_LARGE,
                   "body is larger than " + std::to_string(target.max_body_bytes) + " bytes");
        return;
    case BodyRead::truncated:
        response.setKeepAlive(false);
        send_error(response, Status::HTTP_BAD_REQUEST, "the connection ended inside the body");
        return;
    case BodyRead::malformed:
        response.setKeepAlive(false);
        send_error(response, Status::HTTP_BAD_REQUEST, "malformed chunked body");
        return;
    }
    // On the raw bytes, before anything parses them.
    if (const auth::Failure failure = target.gate->verify(request, body)) {
        send_error(response, Status::HTTP_UNAUTHORIZED, *failure);
        return;
    }
    if (!is_valid_utf8(body)) {
        send_error(response, Status::HTTP_BAD_REQUEST, "body is not valid UTF-8");
        return;
    }
    const auto query = query_json(request_query(request.getURI()));
    if (!query) {
        send_error(response, Status::HTTP_BAD_REQUEST, "query string is not valid UTF-8");
        return;
    }
    const std::string headers = headers_json(request);
    const std::string remote = request.clientAddress().toString();

    const nb_event_t event = {NB_VERSION_INIT,  "POST",         target.path.c_str(),
                              body.c_str(),     body.size(),    headers.c_str(),
                              headers.size(),   query->c_str(), query->size(),
                              remote.c_str()};
    const auto delivery = target.gate->delivery_id(request);
    if (delivery && target.gate->already_accepted(*delivery)) {
        send_json(response, Status::HTTP_OK, kDuplicateBody);
        return;
    }
    const nb_trigger_result_t result = target.host->trigger(target.host, target.node, &event);
    // Only an accepted delivery is remembered: a refused one will be retried.
    if (delivery && result == NB_TRIGGER_ACCEPTED) target.gate->accepted(*delivery);
    answer_trigger(response, result);
}

}  // namespace nb::webhook
