// Broken and hostile requests on one connection each: every one is answered
// (or closed), none starts a run, and the server keeps serving.
#include <doctest/doctest.h>

#include <string>

#include "hostile_support.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

const std::string kHead = "POST /webhook HTTP/1.1\r\nHost: x\r\n";

int status_of(std::uint16_t port, const std::string &raw) {
    return raw_status(raw_exchange(port, raw, 5000ms));
}

}  // namespace

TEST_CASE("smuggling shapes: ambiguous body framing is 400, no run") {
    Served s;
    const struct {
        std::string name;
        std::string raw;
    } cases[] = {
        {"Content-Length with Transfer-Encoding",
         kHead + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
        {"two different Content-Length", kHead + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"},
        {"negative Content-Length", kHead + "Content-Length: -1\r\n\r\n"},
        {"non-numeric Content-Length", kHead + "Content-Length: abc\r\n\r\nabc"},
        {"Content-Length list", kHead + "Content-Length: 5, 5\r\n\r\nhello"},
        {"Transfer-Encoding other than chunked", kHead + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
        {"malformed chunk size", kHead + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
        {"chunk size overflow", kHead + "Transfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n"},
        {"chunk data without CRLF", kHead + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"},
        // An HTTP/1.0 proxy in front reads no chunks: the second request would be hidden in the body.
        {"Transfer-Encoding in HTTP/1.0",
         "POST /webhook HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
         "2\r\nhi\r\n0\r\n\r\nPOST /webhook HTTP/1.0\r\nContent-Length: 2\r\n\r\nho"},
    };
    for (const auto &c : cases) {
        CAPTURE(c.name);
        CHECK(status_of(s.port, c.raw) == 400);
    }
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("line ends other than CRLF in a head: 400 with the JSON error at once, no run") {
    Served s;
    const struct {
        std::string name;
        std::string raw;
    } cases[] = {
        {"LF line ends", "POST /webhook HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello"},
        {"a head ending CRLF LF", kHead + "Content-Length: 5\r\n\nhello"},
        {"a head ending LF CRLF", kHead + "Content-Length: 5\n\r\nhello"},
        {"a head ending LF LF", kHead + "Content-Length: 5\n\nhello"},
        // A front end that keeps the LF in X-A's value forwards no Content-Length.
        {"an LF inside a value", kHead + "X-A: a\nContent-Length: 5\r\n\r\nhello"},
        {"a bare LF before the request line", "\n" + kHead + "Content-Length: 5\r\n\r\nhello"},
        {"a lone CR before the request line", "\r\r" + kHead + "Content-Length: 5\r\n\r\nhello"},
        {"a lone CR ending a header line", kHead + "X-A: a\rContent-Length: 5\r\n\r\nhello"},
        // Heads that never end: refused at the bad byte, not after read_timeout_s.
        {"a bare LF, the head unended", kHead + "X-A: a\nX-B: still coming"},
        {"a lone CR, the head unended", kHead + "X-A: a\rX-B: still coming"},
    };
    for (const auto &c : cases) {
        CAPTURE(c.name);
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        send_all(socket, c.raw);
        bool closed = false;
        // Well within read_timeout_s (10 s): only a refusal at the bad byte comes in time.
        const std::string answer = read_until_close(socket, 5000ms, &closed);
        CHECK(closed);
        CHECK(raw_status(answer) == 400);
        CHECK(is_closing_error(answer));
        CHECK(answer.find("only CRLF ends a line\"}") != std::string::npos);
    }
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("header floods: too many fields or a huge head are 431, a huge target 414, as JSON") {
    Served s;
    std::string thousands = kHead;
    for (int i = 0; i < 5000; ++i) thousands += "X-Flood-" + std::to_string(i) + ": v\r\n";
    thousands += "Content-Length: 0\r\n\r\n";
    std::string fields = kHead;  // with Host, 101 fields in a small head
    for (int i = 0; i < 100; ++i) fields += "X-Field-" + std::to_string(i) + ": v\r\n";
    fields += "\r\n";
    const struct {
        std::string name;
        std::string raw;
        int status;
    } cases[] = {
        {"5000 header fields", thousands, 431},
        {"101 header fields", fields, 431},
        {"a 300 KiB header line",
         kHead + "X-Huge: " + std::string(300 * 1024, 'a') + "\r\nContent-Length: 0\r\n\r\n", 431},
        {"a 100 KiB target",
         "POST /webhook?" + std::string(100 * 1024, 'q') +
             " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
         414},
    };
    for (const auto &c : cases) {
        CAPTURE(c.name);
        const std::string answer = raw_exchange(s.port, c.raw, 5000ms);
        CHECK(raw_status(answer) == c.status);
        CHECK(is_closing_error(answer));
    }
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("garbage instead of a request line: 400 at once, the server stays up") {
    Served s("1");
    for (const std::string &garbage :
         {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
          std::string("GARBAGE\r\n\r\n"), std::string(20000, '\xff'),
          std::string("POST\r\n\r\n")}) {
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        socket.sendBytes(garbage.data(), static_cast<int>(garbage.size()));
        bool closed = false;
        const std::string answer = read_until_close(socket, 5000ms, &closed);
        CHECK(closed);
        CHECK(raw_status(answer) == 400);
        CHECK(is_closing_error(answer));
    }
    // Blank lines alone begin no request: closed quietly after read_timeout_s.
    Poco::Net::StreamSocket blank = connect_raw(s.port);
    blank.sendBytes("\r\n\r\n\r\n", 6);
    bool closed = false;
    CHECK(read_until_close(blank, 5000ms, &closed).empty());
    CHECK(closed);
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("a client disconnecting mid-body: no run, nothing left in flight") {
    Served s;
    for (const std::string &partial :
         {kHead + "Content-Length: 100\r\n\r\n0123456789",
          kHead + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
          kHead + "Transfer-Encoding: chunked\r\n\r\n10\r\nonly-half"}) {
        CAPTURE(partial);
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        send_all(socket, partial);
        socket.shutdownSend();  // SHUT_WR: the client can still read
        bool closed = false;
        const std::string answer = read_until_close(socket, 5000ms, &closed);
        // The body can never end: the server says so, then closes.
        CHECK(raw_status(answer) == 400);
        CHECK(is_closing_error(answer));
        CHECK(answer.find(R"({"status":"error","error":"the connection ended inside the body"})") !=
              std::string::npos);
        CHECK(closed);
    }
    CHECK(s.still_serving());
    CHECK(s.host.trigger_count() == 1);  // the still_serving POST only
    CHECK(s.host.triggers()[0].body == "alive");
    CHECK(s.host.triggers_in_progress() == 0);
}

TEST_CASE("pipelined requests: answered in order, each run once") {
    Served s;
    const std::string raw = kHead + "Content-Length: 5\r\n\r\nfirst" +
                            "GET /webhook HTTP/1.1\r\nHost: x\r\n\r\n" + kHead +
                            "Transfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n" + kHead +
                            "Connection: close\r\nContent-Length: 5\r\n\r\nthird";
    const std::string answer = raw_exchange(s.port, raw, 5000ms);
    const auto a = answer.find("HTTP/1.1 200");
    const auto b = answer.find("HTTP/1.1 405", a);
    const auto c = answer.find("HTTP/1.1 200", b);
    const auto d = answer.find("HTTP/1.1 200", c + 1);
    CHECK(a != std::string::npos);
    CHECK(b != std::string::npos);
    CHECK(c != std::string::npos);
    CHECK(d != std::string::npos);
    CHECK(count_of(answer, "HTTP/1.1 ") == 4);
    REQUIRE(s.host.trigger_count() == 3);
    CHECK(s.host.triggers()[0].body == "first");
    CHECK(s.host.triggers()[1].body == "second");
    CHECK(s.host.triggers()[2].body == "third");
}

TEST_CASE("Expect: 100-continue: 100 then 200; over the limit 413 without 100 or the body") {
    Served s;
    {
        const std::string head = kHead + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n";
        CHECK(raw_status(send_after_continue(s.port, head, "hello")) == 200);
    }
    s.node.stop();
    REQUIRE(s.node.set("max_body_bytes", "10") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    const std::string answer = raw_exchange(
        s.port, kHead + "Expect: 100-continue\r\nContent-Length: 1000000\r\n\r\n", 5000ms);
    CHECK(raw_status(answer) == 413);
    CHECK(answer.find("100 Continue") == std::string::npos);
    const std::string wrong_path = raw_exchange(
        s.port, "POST /nope HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
        5000ms);
    CHECK(raw_status(wrong_path) == 404);
    CHECK(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].body == "hello");
}

TEST_CASE("HTTP/1.0 clients and requests without Host are answered") {
    Served s;
    bool closed = false;
    Poco::Net::StreamSocket old = connect_raw(s.port);
    const std::string v10 = "POST /webhook HTTP/1.0\r\nContent-Length: 4\r\n\r\nv1.0";
    old.sendBytes(v10.data(), static_cast<int>(v10.size()));
    const std::string answer = read_until_close(old, 5000ms, &closed);
    CHECK(raw_status(answer) == 200);
    CHECK(closed);  // HTTP/1.0 without keep-alive: the server closes
    CHECK(status_of(s.port, "POST /webhook HTTP/1.1\r\nContent-Length: 6\r\nConnection: close\r\n\r\nnohost") == 200);
    REQUIRE(s.host.trigger_count() == 2);
    CHECK(s.host.triggers()[0].body == "v1.0");
    CHECK(s.host.triggers()[1].body == "nohost");
}
