#include "responses.hpp"

#include <Poco/Net/HTTPResponse.h>

#include "http_date.hpp"
#include "json_text.hpp"

namespace nb::net {

std::string error_json(std::string_view message) {
    std::string out = R"({"status":"error","error":)";
    append_json_string(out, message);
    out += '}';
    return out;
}

Answer json_answer(int status, std::string_view body) {
    Answer answer;
    answer.status = status;
    answer.body.assign(body);
    return answer;
}

Answer error_answer(int status, std::string_view message) {
    return json_answer(status, error_json(message));
}

Answer too_large_answer(std::uint64_t max_bytes) {
    return error_answer(413, "body is larger than " + std::to_string(max_bytes) + " bytes");
}

void append_answer(std::string &out, const Answer &answer, AnswerFraming framing) {
    out += "HTTP/1.1 ";
    out += std::to_string(answer.status);
    out += ' ';
    out += Poco::Net::HTTPResponse::getReasonForStatus(
        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    out += "\r\nDate: ";
    out += http_date_now();
    out += "\r\nServer: nb-webhook\r\nContent-Type: ";
    if (answer.content_type.empty()) {
        out += "application/json";
    } else {
        out += answer.content_type;
    }
    out += "\r\nContent-Length: ";
    out += std::to_string(answer.body.size());
    if (!framing.keep_alive) {
        out += "\r\nConnection: close";
    } else if (!framing.http11) {
        out += "\r\nConnection: keep-alive";
    }
    out += "\r\n";
    out += answer.extra_headers;
    out += "\r\n";
    if (!framing.without_body) out += answer.body;
}

}  // namespace nb::net
