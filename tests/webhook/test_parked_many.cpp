// Many requests parked on a slow workflow cost the server memory, not
// service: other callers on the same port are still answered, and each
// parked request gets its own answer once the host decides. How long those
// other answers take is the benchmark's to report (docs/benchmark.md).
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kParked = 1000;

// Room for both ends of every parked connection in this one process.
void raise_file_limit() {
    rlimit limit{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    const rlim_t wanted = 2 * kParked + 256;
    if (limit.rlim_cur >= wanted) return;
    REQUIRE_MESSAGE(limit.rlim_max >= wanted, "the hard limit of open files is below " << wanted);
    limit.rlim_cur = wanted;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
}

}  // namespace

TEST_CASE("1000 requests parked on a slow workflow: another path of the port is still answered, then each parked one") {
    raise_file_limit();
    FakeHost slow(true);
    FakeHost quick(true);
    const std::uint16_t port = free_port();
    TestNode waiting(slow, "slow", port, "/slow");
    REQUIRE(waiting.set("respond", "when_finished") == NB_OK);
    TestNode other(quick, "quick", port, "/quick");
    REQUIRE(waiting.start() == NB_OK);
    REQUIRE(other.start() == NB_OK);
    slow.block_triggers();

    const std::string request =
        "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> parked;
    for (std::size_t i = 0; i < kParked; ++i) {
        parked.push_back(std::make_unique<Poco::Net::StreamSocket>(connect_raw(port)));
        send_all(*parked.back(), request);
    }
    REQUIRE(slow.wait_for_triggers(kParked, 30s));
    CHECK(slow.held_outcomes() == kParked);

    HttpRequest post;
    post.target = "/quick";
    post.body = "{}";
    for (int i = 0; i < 20; ++i) CHECK(http_request(port, post, 10s).status == 200);

    slow.unblock_triggers();
    std::size_t answered = 0;
    for (auto &socket : parked) answered += raw_status(read_answer(*socket, 10s)) == 200;
    CHECK(answered == kParked);
    other.stop();
    waiting.stop();
}
