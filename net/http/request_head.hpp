#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "framing.hpp"
#include "header_fields.hpp"

namespace nb::net {

// What the head of one request says, once parsed.
struct RequestHead {
    std::string method;
    std::string target;  // as sent: path, query and all
    bool http11 = true;  // false: HTTP/1.0
    HeaderFields headers;
    BodyFraming framing = BodyFraming::none;
    std::uint64_t content_length = 0;  // with BodyFraming::length
    bool keep_alive = false;           // what the client's version and Connection ask for
    bool expect_continue = false;

    bool has_body() const noexcept {
        return framing == BodyFraming::chunked ||
               (framing == BodyFraming::length && content_length > 0);
    }
};

// Limits on a request head, beyond which it is refused before it ends: the
// request line (414), the head as a whole and its number of fields (431).
inline constexpr std::size_t kMaxRequestLineBytes = 16 * 1024;
inline constexpr std::size_t kMaxHeadBytes = 64 * 1024;
inline constexpr std::size_t kMaxHeaderFields = 100;

// Parses request heads out of a connection's bytes, as they arrive. Strict
// (RFC 9112): a method of token characters, a target without spaces or
// control bytes, HTTP/1.x (a minor version past 1 read as 1.1), fields "name:
// value" without folding, whitespace before the colon or control bytes, and
// unambiguous body framing (body_framing; no Transfer-Encoding in 1.0). Only
// CRLF ends a line: a bare LF or a CR without its LF is 400 as soon as it is
// seen (another reading of it is request smuggling). Empty lines (CRLF) before
// a request line are skipped (RFC 9112 2.2). Pure: no I/O, fuzzed as such.
class HeadParser {
public:
    enum class Result { incomplete, complete, bad };

    // Looks for one whole head at the start of `bytes`. complete: `head` is
    // filled and `consumed` is the head's length (empty lines before it
    // included). bad: status() and message() say why; the connection cannot
    // go on. incomplete: `consumed` is the empty lines before the request
    // line, done with; call again with the bytes after them and more. Each
    // call scans only the bytes that are new since the last one.
    Result parse(std::string_view bytes, RequestHead &head, std::size_t &consumed);

    int status() const noexcept { return status_; }
    const std::string &message() const noexcept { return message_; }

    // Before the next request's head.
    void reset() noexcept { scanned_ = 0; }

private:
    Result fail(int status, std::string message);
    Result line_too_long();
    Result head_too_long();
    Result parse_request_line(std::string_view line, RequestHead &head);
    Result parse_fields(std::string_view fields, RequestHead &head);
    Result settle_framing(RequestHead &head);
    static void reset(RequestHead &head) noexcept;

    std::size_t scanned_ = 0;  // bytes of the head already searched for its end
    int status_ = 0;
    std::string message_;
};

}  // namespace nb::net
