// HeadParser: what a request head says once parsed, however its bytes
// arrive, and the status of each head it refuses.
#include <doctest/doctest.h>

#include <string>

#include "http/request_head.hpp"
#include "http/request_json.hpp"

using namespace nb::net;
using Result = HeadParser::Result;

namespace {

struct Parsed {
    Result result = Result::incomplete;
    std::size_t consumed = 0;
    RequestHead head;
    int status = 0;
    std::string message;
};

// One parse of `bytes` by a fresh parser.
Parsed parse(const std::string &bytes) {
    HeadParser parser;
    Parsed p;
    p.result = parser.parse(bytes, p.head, p.consumed);
    p.status = parser.status();
    p.message = parser.message();
    return p;
}

// A header's value, or "(absent)".
std::string field(const RequestHead &head, const char *name) {
    const std::string *value = head.headers.find(name);
    return value ? *value : "(absent)";
}

// A refusal's status, or 0 when `bytes` are not refused.
int refusal(const std::string &bytes) {
    const Parsed p = parse(bytes);
    return p.result == Result::bad ? p.status : 0;
}

const std::string kPost =
    "POST /webhook?a=1 HTTP/1.1\r\nHost: example\r\nContent-Length: 5\r\nX-Pad:  v w \t\r\n\r\n";

struct Fed {
    Result result = Result::incomplete;
    std::size_t fed = 0;       // bytes given when the parser stopped waiting
    std::size_t consumed = 0;  // over every call
    int status = 0;
};

// `bytes` given one more byte at a time, as a connection gives them: the
// bytes consumed so far dropped, the rest given again with the new byte.
Fed feed_bytes(const std::string &bytes) {
    HeadParser parser;
    RequestHead head;
    Fed fed;
    std::string buffer;
    while (fed.fed < bytes.size()) {
        buffer += bytes[fed.fed++];
        std::size_t consumed = 0;
        fed.result = parser.parse(buffer, head, consumed);
        if (fed.result == Result::bad) break;
        fed.consumed += consumed;
        buffer.erase(0, consumed);
        if (fed.result == Result::complete) break;
    }
    fed.status = parser.status();
    return fed;
}

}  // namespace

TEST_CASE("a simple POST head: method, target, version, headers and framing") {
    const Parsed p = parse(kPost + "hello");
    REQUIRE(p.result == Result::complete);
    CHECK(p.consumed == kPost.size());
    CHECK(p.head.method == "POST");
    CHECK(p.head.target == "/webhook?a=1");
    CHECK(p.head.http11);
    CHECK(field(p.head, "host") == "example");
    CHECK(field(p.head, "x-pad") == "v w");  // surrounding whitespace trimmed
    // Names are lower-cased once, while parsing: readers compare them exactly.
    for (const auto &[name, value] : p.head.headers) {
        CAPTURE(name);
        CHECK(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
    }
    CHECK(field(p.head, "X-Pad") == "(absent)");
    CHECK(p.head.framing == BodyFraming::length);
    CHECK(p.head.content_length == 5);
    CHECK(p.head.has_body());
    CHECK(p.head.keep_alive);
    CHECK_FALSE(p.head.expect_continue);
}

TEST_CASE("keep_alive follows the version and the Connection header") {
    const auto keep_alive = [](const std::string &version, const std::string &fields) {
        const Parsed p = parse("GET / " + version + "\r\n" + fields + "\r\n");
        REQUIRE(p.result == Result::complete);
        return p.head.keep_alive;
    };
    CHECK(keep_alive("HTTP/1.1", ""));
    CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: close\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: Upgrade, Close\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: keep-alive\r\nConnection: close\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.0", ""));
    CHECK(keep_alive("HTTP/1.0", "Connection: Keep-Alive\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.0", "Connection: keep-alive, close\r\n"));
    CHECK_FALSE(parse("GET / HTTP/1.0\r\n\r\n").head.http11);
}

TEST_CASE("a head fed one byte at a time is incomplete until its last byte") {
    const std::string after = "hello" "GET /next HTTP/1.1\r\n\r\n";  // body, pipelined request
    for (const std::string &head :
         {kPost, std::string("POST /w HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")}) {
        HeadParser parser;
        RequestHead parsed;
        std::string buffer;
        for (std::size_t i = 0; i + 1 < head.size(); ++i) {
            buffer += head[i];
            std::size_t consumed = 99;
            REQUIRE(parser.parse(buffer, parsed, consumed) == Result::incomplete);
            CHECK(consumed == 0);
        }
        buffer += head.back();
        buffer += after;
        std::size_t consumed = 0;
        REQUIRE(parser.parse(buffer, parsed, consumed) == Result::complete);
        CHECK(consumed == head.size());
        CHECK(parsed.method == "POST");
        CHECK(parsed.content_length == 5);

        // The parser goes on with the pipelined request after the body.
        parser.reset();
        REQUIRE(parser.parse(buffer.substr(head.size() + 5), parsed, consumed) == Result::complete);
        CHECK(parsed.method == "GET");
        CHECK(parsed.target == "/next");
        CHECK(consumed == after.size() - 5);
    }
}

namespace {

// `bytes` is refused 400 with `message`, whole and fed a byte at a time, the
// latter once its first `refused_at` bytes have come.
void check_refused_at(const std::string &bytes, std::size_t refused_at, const char *message) {
    const Parsed whole = parse(bytes);
    CHECK(whole.result == Result::bad);
    CHECK(whole.status == 400);
    CHECK(whole.message == message);
    const Fed fed = feed_bytes(bytes);
    CHECK(fed.result == Result::bad);
    CHECK(fed.status == 400);
    CHECK(fed.fed == refused_at);
}

}  // namespace

TEST_CASE("a bare LF ends no line: 400 wherever it is, fed whole or byte by byte") {
    const std::string shapes[] = {
        "POST /webhook HTTP/1.1\nHost: x\r\nContent-Length: 2\r\n\r\nhi",  // request line
        "POST /webhook HTTP/1.1\r\nHost: x\nContent-Length: 2\r\n\r\nhi",  // header line
        // An LF inside a value: a front end that keeps it in the value sees one
        // request where a reader of LF line ends sees two (request smuggling).
        "POST /webhook HTTP/1.1\r\nX-A: a\nContent-Length: 0\r\n\r\n"
        "POST /webhook HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi",
        "GET / HTTP/1.1\r\nHost: x\r\n\n",  // CRLF then LF ends the head
        "GET / HTTP/1.1\r\nHost: x\n\n",    // LF LF ends the head
        "GET / HTTP/1.1\r\nHost: y\n\r\n",  // LF then CRLF ends the head
        "GET / HTTP/1.1\n\n",
        "POST /w HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello",  // LF only
        "\nGET / HTTP/1.1\r\n\r\n",  // as an empty line before the request line
        "\r\n\nGET / HTTP/1.1\r\n\r\n",
        "\r\n\r\n\nGET / HTTP/1.1\r\n\r\n",
    };
    for (const std::string &bytes : shapes) {
        CAPTURE(bytes);
        std::size_t lf = bytes.find('\n');
        while (lf != std::string::npos && lf > 0 && bytes[lf - 1] == '\r') {
            lf = bytes.find('\n', lf + 1);
        }
        REQUIRE(lf != std::string::npos);
        // Refused as soon as the LF arrives, not once the head has ended.
        check_refused_at(bytes, lf + 1,
                         "a line of the request head ends in a bare LF; only CRLF ends a line");
    }
}

TEST_CASE("a CR not followed by LF: 400 as soon as the byte after it arrives") {
    const std::string shapes[] = {
        "GET /\r HTTP/1.1\r\n\r\n",              // in the target
        "GET / HTTP/1.1\rHost: x\r\n\r\n",       // ending the request line
        "POST / HTTP/1.1\r\nX-A: a\rb\r\n\r\n",  // in a value
        "POST / HTTP/1.1\r\nX-A: a\r\r\n\r\n",   // doubled before a CRLF
        "POST / HTTP/1.1\r\nX-A: a\r\n\r\r\n",   // ending the head
        "POST / HTTP/1.1\r\nX-A: a\r\n\rGET / HTTP/1.1\r\n\r\n",
        "\rGET / HTTP/1.1\r\n\r\n",  // before the request line
        "\r\rGET / HTTP/1.1\r\n\r\n",
        "\r\n\r\r\n",
    };
    for (const std::string &bytes : shapes) {
        CAPTURE(bytes);
        std::size_t cr = bytes.find('\r');
        while (cr != std::string::npos && bytes[cr + 1] == '\n') cr = bytes.find('\r', cr + 1);
        REQUIRE(cr != std::string::npos);
        // The byte after the CR shows it.
        check_refused_at(bytes, cr + 2,
                         "the request head has a CR not followed by LF; only CRLF ends a line");
    }
    // A CR that is the last byte so far waits for its LF.
    CHECK(parse("\r").result == Result::incomplete);
    CHECK(parse("\r").consumed == 0);
    CHECK(parse("\r\n\r").consumed == 2);
    CHECK(parse("GET / HTTP/1.1\r").result == Result::incomplete);
    CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n\r").result == Result::incomplete);
}

TEST_CASE("empty lines (CRLF) before a request line are skipped and counted as consumed") {
    const Parsed only_empty = parse("\r\n\r\n\r\n");
    CHECK(only_empty.result == Result::incomplete);
    CHECK(only_empty.consumed == 6);

    const Parsed p = parse("\r\n\r\n" + kPost);
    REQUIRE(p.result == Result::complete);
    CHECK(p.consumed == 4 + kPost.size());
    CHECK(p.head.method == "POST");

    // While the head is incomplete, the empty lines before it are consumed;
    // the rest is the caller's to keep.
    CHECK(parse("\r\nPOST /webhook HTTP/1.1\r\n").consumed == 2);

    // Byte by byte, the bytes after the consumed ones given each time.
    const Fed fed = feed_bytes("\r\n\r\n" + kPost);
    CHECK(fed.result == Result::complete);
    CHECK(fed.fed == 4 + kPost.size());
    CHECK(fed.consumed == 4 + kPost.size());
}

TEST_CASE("chunked framing and Expect: 100-continue") {
    const Parsed chunked =
        parse("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\nExpect: 100-Continue\r\n\r\n");
    REQUIRE(chunked.result == Result::complete);
    CHECK(chunked.head.framing == BodyFraming::chunked);
    CHECK(chunked.head.has_body());
    CHECK(chunked.head.expect_continue);

    const Parsed old = parse("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n");
    REQUIRE(old.result == Result::complete);
    CHECK_FALSE(old.head.expect_continue);  // HTTP/1.0 clients do not wait for 100

    const Parsed none = parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(none.result == Result::complete);
    CHECK(none.head.framing == BodyFraming::length);
    CHECK_FALSE(none.head.has_body());
    CHECK(parse("GET / HTTP/1.1\r\n\r\n").head.framing == BodyFraming::none);
}

TEST_CASE("bytes that are not HTTP are refused at once, before a head ends") {
    const Parsed tls = parse(std::string("\x16\x03\x01", 3));
    CHECK(tls.result == Result::bad);
    CHECK(tls.status == 400);
    CHECK(tls.message.find("not HTTP") != std::string::npos);
    CHECK(refusal("GET\r\n\r\n") == 400);
    CHECK(refusal(std::string(20, '\xff')) == 400);

    // A method of 32 bytes is the longest taken.
    const std::string method32(32, 'M');
    CHECK(parse(method32).result == Result::incomplete);
    CHECK(parse(method32 + " / HTTP/1.1\r\n\r\n").head.method == method32);
    const Parsed long_method = parse(method32 + "M");
    CHECK(long_method.result == Result::bad);
    CHECK(long_method.status == 400);
    CHECK(long_method.message.find("too long") != std::string::npos);
}

TEST_CASE("request line refusals: version, missing or bad target") {
    CHECK(refusal("GET / HTTP/2.0\r\n\r\n") == 505);
    CHECK(refusal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 505);
    CHECK(refusal("GET / HTTP/1.x\r\n\r\n") == 400);
    CHECK(refusal("GET / FOO\r\n\r\n") == 400);
    CHECK(refusal("GET / http/1.1\r\n\r\n") == 400);
    CHECK(refusal("GET / HTTP/1.1 \r\n\r\n") == 400);
    CHECK(refusal("POST HTTP/1.1\r\n\r\n") == 400);
    CHECK(refusal("POST  HTTP/1.1\r\n\r\n") == 400);
    CHECK(refusal("POST /a b HTTP/1.1\r\n\r\n") == 400);
    const Parsed control = parse("POST /a\x01z HTTP/1.1\r\n\r\n");
    CHECK(control.status == 400);
    CHECK(control.message.find("control bytes") != std::string::npos);
    CHECK(refusal("POST /a\x7fz HTTP/1.1\r\n\r\n") == 400);
}

TEST_CASE("a later HTTP/1.x is read as 1.1; raw UTF-8 in a target is kept as sent") {
    const Parsed later = parse("POST /webhook HTTP/1.2\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(later.result == Result::complete);
    CHECK(later.head.http11);
    CHECK(later.head.keep_alive);
    CHECK(refusal("GET / HTTP/0.9\r\n\r\n") == 505);
    const Parsed utf8 = parse("POST /webhook?name=caf\xc3\xa9 HTTP/1.1\r\n\r\n");
    REQUIRE(utf8.result == Result::complete);
    CHECK(utf8.head.target == "/webhook?name=caf\xc3\xa9");
}

TEST_CASE("Transfer-Encoding in an HTTP/1.0 request is refused: faulty framing (RFC 9112 6.1)") {
    const Parsed old = parse("POST /webhook HTTP/1.0\r\nConnection: keep-alive\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
    CHECK(old.result == Result::bad);
    CHECK(old.status == 400);
    CHECK(old.message.find("HTTP/1.0") != std::string::npos);
}

TEST_CASE("header field refusals: folding, space before the colon, control bytes") {
    const std::string line = "POST / HTTP/1.1\r\n";
    const Parsed folded = parse(line + "X-A: a\r\n  b\r\n\r\n");
    CHECK(folded.status == 400);
    CHECK(folded.message.find("obs-fold") != std::string::npos);
    CHECK(refusal(line + "Host : x\r\n\r\n") == 400);
    CHECK(refusal(line + "NoColon\r\n\r\n") == 400);
    CHECK(refusal(line + ": empty name\r\n\r\n") == 400);
    const Parsed nul = parse(line + std::string("X-A: a\0b\r\n\r\n", 12));
    CHECK(nul.status == 400);
    CHECK(nul.message == "header X-A has a control byte in its value");
    CHECK(refusal(line + "X-A: a\rb\r\n\r\n") == 400);
    CHECK(refusal(line + "X-A: a\x7f\r\n\r\n") == 400);
    // Tabs and obs-text are field-value bytes.
    const Parsed ok = parse(line + "X-A: a\tb\xe9\r\n\r\n");
    REQUIRE(ok.result == Result::complete);
    CHECK(field(ok.head, "x-a") == "a\tb\xe9");
}

TEST_CASE("size refusals: 100 fields, 64 KiB heads and 16 KiB request lines") {
    const std::string line = "POST / HTTP/1.1\r\n";
    std::string fields;
    for (int i = 0; i < 100; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
    CHECK(parse(line + fields + "\r\n").result == Result::complete);
    const Parsed many = parse(line + fields + "X-100: v\r\n\r\n");
    CHECK(many.status == 431);
    CHECK(many.message.find("100 header fields") != std::string::npos);

    const std::string big = line + "X-Big: " + std::string(kMaxHeadBytes, 'a');
    CHECK(refusal(big) == 431);             // still arriving
    CHECK(refusal(big + "\r\n\r\n") == 431);  // whole

    const std::string long_line = "GET /" + std::string(kMaxRequestLineBytes, 'q');
    const Parsed uri = parse(long_line);
    CHECK(uri.status == 414);
    CHECK(uri.message.find("16384") != std::string::npos);
    CHECK(refusal(long_line + " HTTP/1.1\r\n\r\n") == 414);
    // "GET " + target + " HTTP/1.1": a request line of exactly the limit is taken.
    const std::string target = "/" + std::string(kMaxRequestLineBytes - 14, 'q');
    const Parsed longest = parse("GET " + target + " HTTP/1.1\r\n\r\n");
    REQUIRE(longest.result == Result::complete);
    CHECK(longest.head.target == target);
    CHECK(refusal("GET " + target + "q HTTP/1.1\r\n\r\n") == 414);
}

TEST_CASE("ambiguous body framing is 400 with body_framing's message") {
    const std::string line = "POST / HTTP/1.1\r\n";
    const struct {
        const char *fields;
        const char *message;
    } cases[] = {
        {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
         "both Content-Length and Transfer-Encoding are set"},
        {"Transfer-Encoding: gzip, chunked\r\n",
         "Transfer-Encoding other than one \"chunked\" is not supported"},
        {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
         "Transfer-Encoding other than one \"chunked\" is not supported"},
        {"Content-Length: -1\r\n", "Content-Length is not a non-negative integer"},
        {"Content-Length: 5, 5\r\n", "Content-Length is not a non-negative integer"},
        {"Content-Length: 1234567890123456789\r\n", "Content-Length is not a non-negative integer"},
        {"Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length headers disagree"},
    };
    for (const auto &c : cases) {
        CAPTURE(c.fields);
        const Parsed p = parse(line + c.fields + "\r\n");
        CHECK(p.result == Result::bad);
        CHECK(p.status == 400);
        CHECK(p.message == c.message);
    }
    const Parsed same = parse(line + "Content-Length: 5\r\ncontent-length: 5\r\n\r\n");
    REQUIRE(same.result == Result::complete);
    CHECK(same.head.content_length == 5);
    const Parsed largest = parse(line + "Content-Length: 999999999999999999\r\n\r\n");
    REQUIRE(largest.result == Result::complete);
    CHECK(largest.head.content_length == 999999999999999999ULL);
}

TEST_CASE("repeated headers stay adjacent, so headers_json joins them") {
    const Parsed p = parse("POST / HTTP/1.1\r\nX-A: 1\r\nX-B: 2\r\nx-a: 3\r\n\r\n");
    REQUIRE(p.result == Result::complete);
    CHECK(headers_json(p.head.headers) == R"({"x-a":"1, 3","x-b":"2"})");
}

TEST_CASE("headers_json: each name once, lower-cased, where it first came, values in order") {
    HeaderFields headers;
    headers.add("B", "1");
    headers.add("a", "x\xe9");  // obs-text, read as ISO-8859-1
    headers.add("b", "2");
    headers.add("A", "\"q\"");
    headers.add("B", "3");
    headers.add("C", "");
    CHECK(headers_json(headers) == "{\"b\":\"1, 2, 3\",\"a\":\"x\xc3\xa9, \\\"q\\\"\",\"c\":\"\"}");
    CHECK(headers_json(HeaderFields()) == "{}");
}
