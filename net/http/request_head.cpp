#include "request_head.hpp"

#include "framing.hpp"

namespace nb::net {
namespace {

constexpr std::size_t kMaxMethodBytes = 32;

// RFC 9110 5.6.2.
bool is_tchar(unsigned char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool all_tchar(std::string_view text) noexcept {
    for (const char c : text) {
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

// No spaces or control bytes. Bytes past ASCII should be percent-encoded,
// but raw UTF-8 in a query is common enough to take (query_json checks it).
bool is_target(std::string_view text) noexcept {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return false;
    }
    return !text.empty();
}

// Field values may hold tabs, visible ASCII and obs-text, no other control byte.
bool is_field_value(std::string_view text) noexcept {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
    }
    return true;
}

std::string_view trim_ows(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string_view without_cr(std::string_view line) noexcept {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Whether a comma-separated list (a Connection value) holds `token`.
bool has_token(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim_ows(list.substr(0, comma));
        if (iequals(item, token)) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

// Where the head in `text` ends (just past its empty line), searching from
// `from`; npos when it has not arrived yet. Bare LF line ends are accepted.
std::size_t head_end(std::string_view text, std::size_t from) noexcept {
    for (std::size_t lf = text.find('\n', from); lf != std::string_view::npos;
         lf = text.find('\n', lf + 1)) {
        if (lf + 1 < text.size() && text[lf + 1] == '\n') return lf + 2;
        if (lf + 2 < text.size() && text[lf + 1] == '\r' && text[lf + 2] == '\n') return lf + 3;
    }
    return std::string_view::npos;
}

}  // namespace

HeadParser::Result HeadParser::line_too_long() {
    return fail(414, "the request line is longer than " + std::to_string(kMaxRequestLineBytes) +
                         " bytes");
}

HeadParser::Result HeadParser::head_too_long() {
    return fail(431, "the request head is longer than " + std::to_string(kMaxHeadBytes) + " bytes");
}

HeadParser::Result HeadParser::fail(int status, std::string message) {
    status_ = status;
    message_ = std::move(message);
    scanned_ = 0;
    return Result::bad;
}

HeadParser::Result HeadParser::parse(std::string_view bytes, RequestHead &head,
                                     std::size_t &consumed) {
    consumed = 0;
    std::size_t start = 0;
    while (start < bytes.size() && (bytes[start] == '\r' || bytes[start] == '\n')) ++start;
    if (start == bytes.size()) {
        consumed = start;  // only empty lines: nothing to keep
        scanned_ = 0;
        return Result::incomplete;
    }
    const std::string_view text = bytes.substr(start);
    // Garbage (a TLS hello, binary) is refused at its first byte, not after
    // the read timeout.
    for (std::size_t i = 0; i < text.size() && text[i] != ' '; ++i) {
        if (!is_tchar(static_cast<unsigned char>(text[i]))) {
            return fail(400, "the request line is not HTTP: the method has an invalid byte");
        }
        if (i == kMaxMethodBytes) return fail(400, "the request method is too long");
    }
    const std::size_t from = scanned_ > start + 3 ? scanned_ - start - 3 : 0;
    const std::size_t end = head_end(text, from);
    if (end == std::string_view::npos) {
        scanned_ = bytes.size();
        if (text.size() > kMaxRequestLineBytes && text.find('\n') == std::string_view::npos) {
            return line_too_long();
        }
        if (text.size() > kMaxHeadBytes) return head_too_long();
        return Result::incomplete;
    }
    if (end > kMaxHeadBytes) return head_too_long();
    scanned_ = 0;
    const std::size_t line_end = text.find('\n');
    reset(head);
    if (const Result r = parse_request_line(without_cr(text.substr(0, line_end)), head);
        r != Result::complete) {
        return r;
    }
    if (const Result r = parse_fields(text.substr(line_end + 1, end - line_end - 1), head);
        r != Result::complete) {
        return r;
    }
    if (const Result r = settle_framing(head); r != Result::complete) return r;
    consumed = start + end;
    return Result::complete;
}

HeadParser::Result HeadParser::parse_request_line(std::string_view line, RequestHead &head) {
    if (line.size() > kMaxRequestLineBytes) return line_too_long();
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) {
        return fail(400, "the request line is not \"METHOD target HTTP/1.x\"");
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!all_tchar(method)) return fail(400, "the request method is not a token");
    if (!is_target(target)) {
        return fail(400, "the request target is empty or has spaces or control bytes");
    }
    const bool digits = version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
                        version[6] == '.' && version[5] >= '0' && version[5] <= '9' &&
                        version[7] >= '0' && version[7] <= '9';
    if (!digits) return fail(400, "the request line is not \"METHOD target HTTP/1.x\"");
    if (version[5] != '1') return fail(505, "only HTTP/1.x is served");
    // A later 1.x is served as 1.1, the highest minor version known (RFC 9110 2.5).
    head.http11 = version[7] != '0';
    head.method.assign(method);
    head.target.assign(target);
    return Result::complete;
}

HeadParser::Result HeadParser::parse_fields(std::string_view fields, RequestHead &head) {
    std::size_t count = 0;
    while (!fields.empty()) {
        const std::size_t lf = fields.find('\n');
        const std::string_view line = without_cr(fields.substr(0, lf));
        fields.remove_prefix(lf == std::string_view::npos ? fields.size() : lf + 1);
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t') {
            return fail(400, "folded header lines (obs-fold) are not accepted");
        }
        const std::size_t colon = line.find(':');
        const std::string_view name =
            line.substr(0, colon == std::string_view::npos ? line.size() : colon);
        if (colon == std::string_view::npos || !all_tchar(name)) {
            return fail(400, "a header line is not \"Name: value\" with a token name");
        }
        const std::string_view value = trim_ows(line.substr(colon + 1));
        if (!is_field_value(value)) {
            return fail(400, "header " + std::string(name) + " has a control byte in its value");
        }
        if (++count > kMaxHeaderFields) {
            return fail(431, "the request has more than " + std::to_string(kMaxHeaderFields) +
                                 " header fields");
        }
        head.headers.add(name, value);
    }
    return Result::complete;
}

HeadParser::Result HeadParser::settle_framing(RequestHead &head) {
    Framing framing = body_framing(head.headers);
    if (framing.error) return fail(400, std::move(*framing.error));
    // RFC 9112 6.1: faulty framing; an HTTP/1.0 proxy in front would not
    // have read the body the same way (request smuggling).
    if (framing.kind == BodyFraming::chunked && !head.http11) {
        return fail(400, "Transfer-Encoding is not allowed in HTTP/1.0");
    }
    head.framing = framing.kind;
    head.content_length = framing.content_length;
    bool close = false;
    bool keep_alive = false;
    for (const auto &[name, value] : head.headers) {
        if (!iequals(name, "Connection")) continue;
        close = close || has_token(value, "close");
        keep_alive = keep_alive || has_token(value, "keep-alive");
    }
    head.keep_alive = !close && (head.http11 || keep_alive);
    const std::string *expect = head.headers.find("Expect");
    head.expect_continue = head.http11 && expect && iequals(*expect, "100-continue");
    return Result::complete;
}

void HeadParser::reset(RequestHead &head) noexcept {
    // In place: the strings and the field list keep their storage.
    head.method.clear();
    head.target.clear();
    head.http11 = true;
    head.headers.clear();
    head.framing = BodyFraming::none;
    head.content_length = 0;
    head.keep_alive = false;
    head.expect_continue = false;
}

}  // namespace nb::net
