// What the event-loop server refuses at once, and how many connections it
// holds: a version it does not speak, a TLS handshake on the plain port,
// and more stalled clients than a thread per connection could afford.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "hostile_support.hpp"

using namespace nb::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("HTTP/2.0 request lines get 505 with a JSON error, no run") {
    Served s;
    for (const std::string &raw :
         {std::string("POST /webhook HTTP/2.0\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"),
          std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")}) {
        CAPTURE(raw);
        const std::string answer = raw_exchange(s.port, raw, 5000ms);
        CHECK(raw_status(answer) == 505);
        CHECK(is_closing_error(answer));
    }
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("a TLS ClientHello on the plain port gets its 400 at once, not at read_timeout_s") {
    Served s("5");
    // The start of a TLS 1.2 ClientHello record: handshake, version, length.
    const char record[] = "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x5b\x90\x9d\x9b"
                          "\x72\x0b\xbc\x0c\xbc\x2b\x92\xa8\x48\x97\xcf\xbd\x39\x04\xcc\x16";
    const std::string hello(record, sizeof record - 1);
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    const auto sent = Clock::now();
    send_all(socket, hello);
    bool closed = false;
    const std::string answer = read_until_close(socket, 2000ms, &closed);
    const auto took = Clock::now() - sent;
    CHECK(raw_status(answer) == 400);
    CHECK(is_closing_error(answer));
    CHECK(closed);
    // Answered and closed well within read_timeout_s (5 s): the first byte decided.
    CHECK(took < 2s);
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("a thousand stalled heads: a POST still gets 200 at once, the stalled ones 408") {
    // Each stalled client costs this process two descriptors, its socket and
    // the server's; keep headroom for the rest.
    rlimit files{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
    const rlim_t headroom = 128;
    const std::size_t count = static_cast<std::size_t>(
        std::min<rlim_t>(1000, files.rlim_cur > headroom ? (files.rlim_cur - headroom) / 2 : 0));
    MESSAGE("holding " << count << " stalled connections (descriptor limit "
                       << files.rlim_cur << ")");
    REQUIRE(count > 0);

    const int read_timeout_s = 2;
    Served s(std::to_string(read_timeout_s).c_str());
    const std::string half = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Le";
    std::vector<Poco::Net::StreamSocket> stalled;
    stalled.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        stalled.push_back(connect_raw(s.port));
        send_all(stalled.back(), half);
    }
    const auto last_sent = Clock::now();

    HttpRequest req;
    req.body = "through";
    const auto posted = Clock::now();
    CHECK(http_request(s.port, req, std::chrono::seconds(2)).status == 200);
    CHECK(Clock::now() - posted < 2s);

    std::size_t timed_out = 0;
    std::size_t closed_count = 0;
    for (auto &socket : stalled) {
        bool closed = false;
        const std::string answer = read_until_close(socket, 8000ms, &closed);  // hang bound
        timed_out += raw_status(answer) == 408 ? 1 : 0;
        closed_count += closed ? 1 : 0;
    }
    CHECK(timed_out == count);
    CHECK(closed_count == count);
    // Held for read_timeout_s of silence, not dropped early.
    CHECK(Clock::now() - last_sent >= std::chrono::seconds(read_timeout_s));
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].body == "through");
}
