#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nb::net {

// One answer to one request: a status and a body (JSON unless it says
// otherwise), plus what it asks of the connection.
struct Answer {
    int status = 200;
    std::string body;
    std::string content_type;   // empty: application/json
    std::string extra_headers;  // whole "Name: value\r\n" lines, e.g. Retry-After
    // The request was not read to its end (refused before or inside its
    // body, or its head was unreadable): the connection must close, since
    // the unread bytes cannot be told from a next request.
    bool close = false;
    // The handler's own label of the answer (why it was given), handed back
    // in the Exchange once it is sent; the server never reads it.
    int tag = 0;
};

// {"status":"error","error":"<message>"}: the one shape of every error answer.
std::string error_json(std::string_view message);

Answer json_answer(int status, std::string_view body);
Answer error_answer(int status, std::string_view message);
// 413 for a body over `max_bytes`, declared or found while reading it.
Answer too_large_answer(std::uint64_t max_bytes);

// How the answer is framed for the request it answers.
struct AnswerFraming {
    bool keep_alive;    // the connection stays open after it
    bool http11;        // the client's version: 1.0 needs keep-alive said
    bool without_body;  // an answer to HEAD: its Content-Length, no body
};

// Appends the whole answer, head and body, to `out`: the status line, Date,
// Server, Content-Type, Content-Length, the Connection header `framing`
// needs, the answer's own headers, then the body.
void append_answer(std::string &out, const Answer &answer, AnswerFraming framing);

// The interim answer to "Expect: 100-continue".
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace nb::net
