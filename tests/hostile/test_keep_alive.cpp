// Keep-alive connections: how long one client may keep one, what an
// HTTP/1.0 client asking for it gets, and that stopping the node does not
// wait for an idle one.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "hostile_support.hpp"
#include "server/server_limits.hpp"

using namespace nb::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string post(const std::string &version, const std::string &fields, const std::string &body) {
    return "POST /webhook " + version + "\r\nHost: x\r\n" + fields +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool says(const std::string &answer, const std::string &header_line) {
    return answer.find("\r\n" + header_line + "\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a keep-alive connection gets Connection: close on its last allowed request") {
    using nb::net::kMaxKeepAliveRequests;
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    const std::string request = post("HTTP/1.1", "", "ok");
    unsigned kept = 0;  // answers that left the connection open
    for (unsigned i = 1; i < kMaxKeepAliveRequests; ++i) {
        send_all(socket, request);
        const std::string answer = read_answer(socket, 5000ms);
        if (raw_status(answer) != 200 || answer.find("Connection:") != std::string::npos) break;
        ++kept;
    }
    CHECK(kept == kMaxKeepAliveRequests - 1);

    send_all(socket, request);
    bool closed = false;
    const std::string last = read_until_close(socket, 5000ms, &closed);
    CHECK(raw_status(last) == 200);
    CHECK(says(last, "Connection: close"));
    CHECK(count_of(last, "HTTP/1.1 ") == 1);
    CHECK(closed);
    CHECK(s.host.trigger_count() == kMaxKeepAliveRequests);
}

TEST_CASE("HTTP/1.0 with Connection: keep-alive is told so and kept open") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    for (const char *body : {"one", "two"}) {
        send_all(socket, post("HTTP/1.0", "Connection: keep-alive\r\n", body));
        const std::string answer = read_answer(socket, 5000ms);
        CHECK(raw_status(answer) == 200);
        CHECK(says(answer, "Connection: keep-alive"));
    }
    // Without it, an HTTP/1.0 request is the connection's last.
    send_all(socket, post("HTTP/1.0", "", "three"));
    bool closed = false;
    const std::string answer = read_until_close(socket, 5000ms, &closed);
    CHECK(raw_status(answer) == 200);
    CHECK(says(answer, "Connection: close"));
    CHECK(closed);
    REQUIRE(s.host.trigger_count() == 3);
    CHECK(s.host.triggers()[0].body == "one");
    CHECK(s.host.triggers()[1].body == "two");
    CHECK(s.host.triggers()[2].body == "three");
}

TEST_CASE("HEAD is answered without a body, so the next answer on the connection is read right") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, "HEAD /webhook HTTP/1.1\r\nHost: x\r\n\r\n" + post("HTTP/1.1", "", "after"));
    // Both answers, read together: the HEAD's Content-Length describes a body it does not carry.
    std::string both;
    while (both.find("{\"status\":\"ok\"}") == std::string::npos) {
        const std::string more = read_answer(socket, 5000ms);
        REQUIRE_FALSE(more.empty());
        both += more;
    }
    CHECK(raw_status(both) == 405);
    const auto second = both.find("HTTP/1.1 ", 1);
    REQUIRE(second != std::string::npos);
    const std::string head_answer = both.substr(0, second);
    CHECK(head_answer.find("Content-Length: ") != std::string::npos);
    CHECK(head_answer.substr(head_answer.size() - 4) == "\r\n\r\n");  // no body after the head
    CHECK(raw_status(both.substr(second)) == 200);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].body == "after");
}

TEST_CASE("stopping the node closes idle connections and answers half-sent requests 503") {
    Served s;
    Poco::Net::StreamSocket idle = connect_raw(s.port);
    send_all(idle, post("HTTP/1.1", "", "before stop"));
    const std::string answer = read_answer(idle, 5000ms);
    REQUIRE(raw_status(answer) == 200);
    REQUIRE(answer.find("Connection:") == std::string::npos);  // kept open
    Poco::Net::StreamSocket half = connect_raw(s.port);
    send_all(half, "POST /webhook HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(200ms);  // for the server to read it: then a request has begun

    const auto stopping = Clock::now();
    s.node.stop();
    // Not the keep-alive timeout: at most the drain time of the answers
    // being written, here the 503.
    CHECK(Clock::now() - stopping < nb::net::kDrainTime + nb::net::kTimerTick * 3);

    bool closed = false;
    CHECK(read_until_close(idle, 2000ms, &closed).empty());
    CHECK(closed);
    closed = false;
    const std::string refused = read_until_close(half, 2000ms, &closed);
    CHECK(raw_status(refused) == 503);
    CHECK(refused.find(R"({"status":"error","error":)") != std::string::npos);
    CHECK(refused.find("Connection: close") != std::string::npos);
    CHECK(closed);
    CHECK_FALSE(can_connect(s.port));
    CHECK(s.host.trigger_count() == 1);
}
