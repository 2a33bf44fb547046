#include "responses.hpp"

#include "http_date.hpp"
#include "json_text.hpp"

namespace nb::net {
namespace {

std::string_view reason(int status) noexcept {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

}  // namespace

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

void append_answer(std::string &out, const Answer &answer, AnswerFraming framing) {
    out += "HTTP/1.1 ";
    out += std::to_string(answer.status);
    out += ' ';
    out += reason(answer.status);
    out += "\r\nDate: ";
    out += http_date_now();
    out += "\r\nServer: nb-webhook\r\nContent-Type: application/json\r\nContent-Length: ";
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
