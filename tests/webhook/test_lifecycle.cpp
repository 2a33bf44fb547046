// Listener sharing, refusals, start/stop cycles and what stop guarantees.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <utility>
#include <string>
#include <thread>

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

HttpReply post(std::uint16_t port, const std::string &target, const std::string &body) {
    HttpRequest req;
    req.target = target;
    req.body = body;
    return http_request(port, req);
}

}  // namespace

TEST_CASE("two nodes share a port with different paths") {
    FakeHost host;
    const auto port = free_port();
    TestNode a(host, "a", port, "/a");
    TestNode b(host, "b", port, "/b");
    REQUIRE(a.start() == NB_OK);
    REQUIRE(b.start() == NB_OK);
    CHECK(post(port, "/a", "to a").status == 200);
    CHECK(post(port, "/b", "to b").status == 200);
    CHECK(post(port, "/c", "nobody").status == 404);
    REQUIRE(host.trigger_count() == 2);
    CHECK(host.triggers()[0].node == a.abi());
    CHECK(host.triggers()[0].body == "to a");
    CHECK(host.triggers()[1].node == b.abi());
    CHECK(host.triggers()[1].body == "to b");

    a.stop();  // the port stays open for b
    CHECK(post(port, "/a", "late").status == 404);
    CHECK(post(port, "/b", "still").status == 200);
    b.stop();
    CHECK_FALSE(can_connect(port));
}

TEST_CASE("same port and path twice is refused naming both nodes") {
    FakeHost host;
    const auto port = free_port();
    TestNode first(host, "first", port);
    TestNode second(host, "second", port);
    REQUIRE(first.start() == NB_OK);
    CHECK(second.start() == NB_ERR_IN_USE);
    const std::string error = second.error();
    CHECK(error.find("\"first\"") != std::string::npos);
    CHECK(error.find("\"second\"") != std::string::npos);
    CHECK(error.find(std::to_string(port)) != std::string::npos);
    CHECK(post(port, "/webhook", "x").status == 200);  // the first still serves
    CHECK(host.triggers()[0].node == first.abi());
    first.stop();
    CHECK(second.start() == NB_OK);  // free again once the first stopped
    second.stop();
}

TEST_CASE("a port held by another socket is refused with NB_ERR_IO saying in use") {
    FakeHost host;
    const auto port = free_port();
    Poco::Net::ServerSocket other(Poco::Net::SocketAddress("0.0.0.0", port));
    TestNode node(host, "hook", port);
    CHECK(node.start() == NB_ERR_IO);
    const std::string error = node.error();
    CHECK(error.find(std::to_string(port)) != std::string::npos);
    CHECK(error.find("in use") != std::string::npos);
    other.close();
    CHECK(node.start() == NB_OK);
    node.stop();
}

TEST_CASE("start twice is a state error") {
    FakeHost host;
    TestNode node(host, "hook", free_port());
    REQUIRE(node.start() == NB_OK);
    CHECK(node.start() == NB_ERR_STATE);
    node.stop();
    node.stop();  // harmless
}

TEST_CASE("start/stop/start on the same port, 20 times") {
    FakeHost host;
    const auto port = free_port();
    TestNode node(host, "hook", port);
    for (int i = 0; i < 20; ++i) {
        CAPTURE(i);
        REQUIRE(node.start() == NB_OK);
        CHECK(post(port, "/webhook", std::to_string(i)).status == 200);
        node.stop();
    }
    CHECK(host.trigger_count() == 20);
    CHECK(host.triggers()[19].body == "19");
}

TEST_CASE("after stop the port is closed") {
    FakeHost host;
    const auto port = free_port();
    TestNode node(host, "hook", port);
    REQUIRE(node.start() == NB_OK);
    CHECK(can_connect(port));
    node.stop();
    CHECK_FALSE(can_connect(port));
    CHECK_THROWS_AS(post(port, "/webhook", "x"), Poco::Net::ConnectionRefusedException);
}

TEST_CASE("stop waits for a trigger in progress, and none comes after it") {
    FakeHost host;
    const auto port = free_port();
    TestNode node(host, "hook", port);
    REQUIRE(node.start() == NB_OK);
    host.block_triggers();
    auto reply = std::async(std::launch::async, [port] { return post(port, "/webhook", "slow"); });
    REQUIRE(host.wait_for_in_progress(1, 10s));

    std::atomic<bool> stopped{false};
    std::chrono::steady_clock::time_point stop_returned;
    std::thread stopper([&] {
        node.stop();
        stop_returned = std::chrono::steady_clock::now();
        stopped = true;
    });
    std::this_thread::sleep_for(200ms);
    CHECK_FALSE(stopped.load());  // still inside the trigger: stop must wait
    host.unblock_triggers();
    stopper.join();

    CHECK(host.triggers_in_progress() == 0);
    REQUIRE(host.trigger_count() == 1);
    CHECK(host.triggers()[0].returned <= stop_returned);
    CHECK(reply.get().status == 200);  // the request in flight got its answer
    CHECK_FALSE(can_connect(port));
    CHECK(host.trigger_count() == 1);
}

TEST_CASE("stopping one node on a shared port waits for its trigger only") {
    FakeHost slow_host;
    FakeHost fast_host;
    const auto port = free_port();
    TestNode slow(slow_host, "slow", port, "/slow");
    TestNode fast(fast_host, "fast", port, "/fast");
    REQUIRE(slow.start() == NB_OK);
    REQUIRE(fast.start() == NB_OK);
    slow_host.block_triggers();
    auto reply = std::async(std::launch::async, [port] { return post(port, "/slow", "s"); });
    REQUIRE(slow_host.wait_for_in_progress(1, 10s));

    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        slow.stop();
        stopped = true;
    });
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(stopped.load());
    CHECK(post(port, "/fast", "f").status == 200);  // the other node keeps serving
    // Stopping, the node refuses new requests as "retry later", not "no such path".
    CHECK(post(port, "/slow", "again").status == 503);
    slow_host.unblock_triggers();
    stopper.join();
    CHECK(reply.get().status == 200);
    CHECK(slow_host.trigger_count() == 1);
    CHECK(fast_host.trigger_count() == 1);
    CHECK(post(port, "/fast", "f2").status == 200);
    fast.stop();
}

TEST_CASE("stop does not wait for idle keep-alive connections") {
    FakeHost host;
    const auto port = free_port();
    TestNode node(host, "hook", port);
    REQUIRE(node.start() == NB_OK);
    Poco::Net::StreamSocket idle(Poco::Net::SocketAddress("127.0.0.1", port));
    const std::string request = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
    idle.sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[512];
    idle.setReceiveTimeout(Poco::Timespan(5, 0));
    REQUIRE(idle.receiveBytes(buffer, sizeof buffer) > 0);  // answered, connection kept open
    REQUIRE(host.trigger_count() == 1);

    const auto before = std::chrono::steady_clock::now();
    node.stop();
    // Well under the 5 s keep-alive timeout: the idle connection was closed.
    CHECK(std::chrono::steady_clock::now() - before < 4s);
    CHECK(idle.receiveBytes(buffer, sizeof buffer) == 0);  // the server closed it
}

TEST_CASE("stop cannot throw, so destroying a started node with a client mid-request is safe") {
    // ~WebhookNode calls stop: a throwing stop would end the process there.
    CHECK(noexcept(std::declval<nb::webhook::WebhookNode &>().stop()));
    FakeHost host;
    const auto port = free_port();
    auto node = std::make_unique<TestNode>(host, "hook", port);
    REQUIRE(node->start() == NB_OK);
    Poco::Net::StreamSocket client(Poco::Net::SocketAddress("127.0.0.1", port));
    const std::string part = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab";
    client.sendBytes(part.data(), static_cast<int>(part.size()));
    std::this_thread::sleep_for(200ms);
    auto destroyed = std::async(std::launch::async, [&] { node.reset(); });
    CHECK(destroyed.wait_for(3s) == std::future_status::ready);
    destroyed.wait();
    CHECK_FALSE(can_connect(port));
    CHECK(host.trigger_count() == 0);
}
