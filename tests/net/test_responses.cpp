#include <doctest/doctest.h>

#include <string>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "http/http_date.hpp"
#include "http/responses.hpp"

using namespace nb::net;

namespace {

std::string answer_text(int status, AnswerFraming framing = {true, true, false}) {
    std::string out;
    append_answer(out, error_answer(status, "why"), framing);
    return out;
}

}  // namespace

TEST_CASE("an answer's status line carries the standard reason phrase") {
    CHECK(answer_text(200).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(answer_text(404).rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
    CHECK(answer_text(431).rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0) == 0);
    CHECK(answer_text(503).rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
}

TEST_CASE("an answer is framed for its request: length, connection, HEAD without a body") {
    const std::string kept = answer_text(400);
    const std::string body = error_json("why");
    CHECK(kept.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
    CHECK(kept.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") !=
          std::string::npos);
    CHECK(kept.find("Connection:") == std::string::npos);
    CHECK(kept.substr(kept.size() - body.size()) == body);
    CHECK(answer_text(400, {false, true, false}).find("\r\nConnection: close\r\n") !=
          std::string::npos);
    CHECK(answer_text(400, {true, false, false}).find("\r\nConnection: keep-alive\r\n") !=
          std::string::npos);
    const std::string head = answer_text(400, {true, true, true});
    CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
}

TEST_CASE("the Date header is IMF-fixdate, the same text Poco formats for now") {
    // Retried if the second turns between the two readings.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const std::string ours(http_date_now());
        const std::string poco =
            Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT);
        if (ours == poco) return;
    }
    FAIL("http_date_now differs from Poco's HTTP_FORMAT: " << http_date_now());
}
