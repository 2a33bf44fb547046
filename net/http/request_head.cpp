#include "request_head.hpp"

#include "framing.hpp"
#include "token.hpp"

namespace nb::net {
namespace {

constexpr std::size_t kMaxMethodBytes = 32;

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

// A line without the CR of its CRLF (find_head_end saw that every LF has one).
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

// Only CRLF ends a line of a head (RFC 9112 2.2). A front end that reads a
// bare LF or a lone CR otherwise than we do (as part of a field value, say)
// would see other requests than we see: request smuggling.
constexpr const char *kBareLf =
    "a line of the request head ends in a bare LF; only CRLF ends a line";
constexpr const char *kLoneCr =
    "the request head has a CR not followed by LF; only CRLF ends a line";

// What a scan of a head's bytes found: `end` just past the CRLF of its empty
// line, or npos while that has not arrived (resume there next time); `bad`
// names a line end other than CRLF.
struct HeadEnd {
    std::size_t end = std::string_view::npos;
    std::size_t resume = 0;
    const char *bad = nullptr;
};

// Scans `text`, a head from its request line on, from `from` (what earlier
// scans of the same bytes passed). Every LF must follow a CR and every CR
// precede an LF; a CR that is the last byte so far is looked at again.
HeadEnd find_head_end(std::string_view text, std::size_t from) noexcept {
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            if (i == 0 || text[i - 1] != '\r') return {std::string_view::npos, i, kBareLf};
            // text[i - 2] is LF, so text[i - 3] is its CR: an empty line.
            if (i >= 3 && text[i - 2] == '\n') return {i + 1, i + 1, nullptr};
        } else if (c == '\r') {
            if (i + 1 == text.size()) return {std::string_view::npos, i, nullptr};
            if (text[i + 1] != '\n') return {std::string_view::npos, i, kLoneCr};
        }
    }
    return {std::string_view::npos, text.size(), nullptr};
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
    // Empty lines (CRLF) before the request line are skipped (RFC 9112 2.2).
    std::size_t start = 0;
    while (start < bytes.size() && (bytes[start] == '\r' || bytes[start] == '\n')) {
        if (bytes[start] == '\n') return fail(400, kBareLf);
        if (start + 1 == bytes.size()) break;  // a CR whose LF may come next
        if (bytes[start + 1] != '\n') return fail(400, kLoneCr);
        start += 2;
    }
    if (start == bytes.size() || bytes[start] == '\r') {
        consumed = start;  // only empty lines so far: nothing to keep
        scanned_ = 0;
        return Result::incomplete;
    }
    // From here on, `text` begins with the request line and scanned_ counts
    // from there, whether or not the caller dropped the empty lines consumed.
    const std::string_view text = bytes.substr(start);
    // Garbage (a TLS hello, binary) is refused at its first byte, not after
    // the read timeout.
    for (std::size_t i = 0; i < text.size() && text[i] != ' '; ++i) {
        if (!is_tchar(static_cast<unsigned char>(text[i]))) {
            return fail(400, "the request line is not HTTP: the method has an invalid byte");
        }
        if (i == kMaxMethodBytes) return fail(400, "the request method is too long");
    }
    const HeadEnd found = find_head_end(text, scanned_);
    if (found.bad) return fail(400, found.bad);
    if (found.end == std::string_view::npos) {
        scanned_ = found.resume;
        if (text.size() > kMaxRequestLineBytes && text.find('\n') == std::string_view::npos) {
            return line_too_long();
        }
        if (text.size() > kMaxHeadBytes) return head_too_long();
        consumed = start;
        return Result::incomplete;
    }
    const std::size_t end = found.end;
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
    if (!is_token(method)) return fail(400, "the request method is not a token");
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
        if (colon == std::string_view::npos || !is_token(name)) {
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
        if (name != "connection") continue;
        close = close || has_token(value, "close");
        keep_alive = keep_alive || has_token(value, "keep-alive");
    }
    head.keep_alive = !close && (head.http11 || keep_alive);
    const std::string *expect = head.headers.find("expect");
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
