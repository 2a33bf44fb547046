#include "responses.hpp"

#include "json_text.hpp"

namespace nb::webhook {

std::string error_json(std::string_view message) {
    std::string out = R"({"status":"error","error":)";
    append_json_string(out, message);
    out += '}';
    return out;
}

void send_json(Poco::Net::HTTPServerResponse &response, Poco::Net::HTTPResponse::HTTPStatus status,
               std::string_view body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.sendBuffer(body.data(), body.size());
}

void send_error(Poco::Net::HTTPServerResponse &response,
                Poco::Net::HTTPResponse::HTTPStatus status, std::string_view message) {
    send_json(response, status, error_json(message));
}

bool has_body(const Poco::Net::HTTPServerRequest &request) {
    if (request.getChunkedTransferEncoding()) return true;
    return request.hasContentLength() && request.getContentLength64() > 0;
}

}  // namespace nb::webhook
