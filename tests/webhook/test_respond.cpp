// The answers of a node whose host decides later (ABI 1.1's async trigger):
// every row of docs/webhook-node.md's answer table the plugin writes, over
// real sockets, with a fake host that delivers each outcome.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include <nb/listen_address.h>

#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

constexpr const char *kOk = R"({"status":"ok"})";

// A node on a free port, path /webhook, with the widgets given, over an
// async fake host; started by start().
struct Parked {
    FakeHost host{true};
    std::uint16_t port = free_port();
    TestNode node{host, "hook", port};

    explicit Parked(std::initializer_list<std::pair<const char *, std::string>> widgets = {}) {
        for (const auto &[name, value] : widgets) REQUIRE(node.set(name, value) == NB_OK);
        REQUIRE(node.start() == NB_OK);
    }
    ~Parked() { node.stop(); }

    HttpReply post(const std::string &body = "{}", std::chrono::seconds timeout = 10s) {
        HttpRequest req;
        req.body = body;
        return http_request(port, req, timeout);
    }
};

bool is_json_error(const HttpReply &reply, int status) {
    return reply.status == status && reply.header("content-type") == "application/json" &&
           reply.body.rfind(R"({"status":"error","error":")", 0) == 0;
}

}  // namespace

TEST_CASE("respond=immediately over a 1.1 host: submitted without waiting for the run, 200 once accepted") {
    Parked s;
    const HttpReply reply = s.post(R"({"a":1})");
    CHECK(reply.status == 200);
    CHECK(reply.body == kOk);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].flags == 0);
    CHECK(s.host.triggers()[0].body == R"({"a":1})");
}

TEST_CASE("a refusal is 503 with Retry-After, whatever the reason: nothing was stored") {
    Parked s;
    SUBCASE("queue full") { s.host.answer(NB_TRIGGER_QUEUE_FULL); }
    SUBCASE("shutting down") { s.host.answer(NB_TRIGGER_FAILED); }
    const HttpReply reply = s.post();
    CHECK(is_json_error(reply, 503));
    CHECK(reply.header("retry-after") == "1");
}

TEST_CASE("when_finished: the run's end decides the answer") {
    Parked s({{"respond", "when_finished"}});
    SUBCASE("no reply: 200 ok") {
        const HttpReply reply = s.post();
        CHECK(reply.status == 200);
        CHECK(reply.body == kOk);
        CHECK(s.host.triggers()[0].flags == NB_SUBMIT_AWAIT_RUN);
    }
    SUBCASE("a reply: its status, content type, headers and body") {
        RunEnd end;
        end.kind = NB_OUTCOME_REPLY;
        end.status = 201;
        end.content_type = "text/plain";
        end.headers = {{"X-Challenge", "abc"}, {"Cache-Control", "no-store"}};
        end.body = "the challenge";
        s.host.end_runs_with(end);
        const HttpReply reply = s.post();
        CHECK(reply.status == 201);
        CHECK(reply.header("content-type") == "text/plain");
        CHECK(reply.header("x-challenge") == "abc");
        CHECK(reply.header("cache-control") == "no-store");
        CHECK(reply.body == "the challenge");
    }
    SUBCASE("a reply larger than 1 MiB arrives whole") {
        RunEnd end;
        end.kind = NB_OUTCOME_REPLY;
        end.body = std::string(3 * 1024 * 1024 + 7, 'r');
        s.host.end_runs_with(end);
        const HttpReply reply = s.post();
        CHECK(reply.status == 200);
        CHECK(reply.body == end.body);
        CHECK(reply.header("content-type") == "application/json");
    }
    SUBCASE("a failed run: 500 naming the node and its message only") {
        RunEnd end;
        end.kind = NB_OUTCOME_RUN_FAILED;
        end.failed_node = "get";
        end.message = "no value at /challenge";
        s.host.end_runs_with(end);
        const HttpReply reply = s.post();
        CHECK(is_json_error(reply, 500));
        CHECK(reply.body.find(R"(node \"get\" failed: no value at /challenge)") != std::string::npos);
    }
}

TEST_CASE("when_finished: a reply the plugin cannot send as it is becomes a 500, never written") {
    Parked s({{"respond", "when_finished"}});
    RunEnd end;
    end.kind = NB_OUTCOME_REPLY;
    SUBCASE("a framing header") { end.headers = {{"Content-Length", "5"}}; }
    SUBCASE("a header value with CR LF") { end.headers = {{"X-A", "b\r\nSet-Cookie: x=1"}}; }
    SUBCASE("a header name that is no token") { end.headers = {{"X A", "b"}}; }
    SUBCASE("a status outside 200-599") { end.status = 102; }
    s.host.end_runs_with(end);
    const HttpReply reply = s.post();
    CHECK(is_json_error(reply, 500));
    CHECK(reply.header("set-cookie").empty());
    CHECK(reply.body.find("reply cannot be sent") != std::string::npos);
}

TEST_CASE("when_finished: no outcome within response_timeout_s is 504; the outcome coming later is harmless") {
    Parked s({{"respond", "when_finished"}, {"response_timeout_s", "1"}});
    s.host.block_triggers();
    const HttpReply reply = s.post();
    CHECK(is_json_error(reply, 504));
    CHECK(reply.body.find("response_timeout_s") != std::string::npos);
    CHECK(s.host.held_outcomes() == 1);
    s.host.unblock_triggers();
    CHECK(s.post().status == 200);
}

TEST_CASE("an outcome delivered from another thread while the request waits is its answer") {
    Parked s({{"respond", "when_finished"}});
    s.host.block_triggers();
    RunEnd end;
    end.kind = NB_OUTCOME_REPLY;
    end.status = 202;
    end.body = "later";
    s.host.end_runs_with(end);
    std::thread releaser([&] {
        REQUIRE(s.host.wait_for_triggers(1, 10s));
        std::this_thread::sleep_for(200ms);
        s.host.unblock_triggers();
    });
    const HttpReply reply = s.post();
    releaser.join();
    CHECK(reply.status == 202);
    CHECK(reply.body == "later");
}

TEST_CASE("an outcome from another thread, inside submit or racing its return, answers once") {
    // The plugin answers an outcome given before submit returns without
    // parking, and parks otherwise: both sides of that hand-over, many times.
    using Delivery = FakeHost::Delivery;
    for (const auto where : {Delivery::other_thread_joined, Delivery::other_thread_racing}) {
        for (const bool when_finished : {false, true}) {
            CAPTURE(where == Delivery::other_thread_racing);
            CAPTURE(when_finished);
            Parked s({{"respond", when_finished ? "when_finished" : "immediately"}});
            s.host.deliver_on(where);
            constexpr int kRequests = 200;
            int ok = 0;
            for (int i = 0; i < kRequests; ++i) ok += s.post().status == 200;
            CHECK(ok == kRequests);
            CHECK(s.host.submit_count() == kRequests);
            s.node.stop();
            CHECK(s.host.sink_problems().empty());
        }
    }
}

namespace {

// The answer of a request whose outcome the host holds when the node stops.
HttpReply answer_across_stop(Parked &s) {
    s.host.block_triggers();
    HttpReply reply;
    std::thread caller([&] { reply = s.post(); });
    REQUIRE(s.host.wait_for_triggers(1, 10s));
    s.node.stop();
    caller.join();
    CHECK(s.host.cancel_calls() == 1);
    CHECK(s.host.held_outcomes() == 0);
    return reply;
}

}  // namespace

TEST_CASE("stop while requests are parked: the host cancels them, each caller gets its answer") {
    SUBCASE("when_finished, accepted: 504, the run goes on") {
        Parked s({{"respond", "when_finished"}});
        const HttpReply reply = answer_across_stop(s);
        CHECK(is_json_error(reply, 504));
        CHECK(reply.body.find("the run goes on") != std::string::npos);
    }
    SUBCASE("immediately, not yet accepted: 503 with Retry-After") {
        Parked s;
        const HttpReply reply = answer_across_stop(s);
        CHECK(is_json_error(reply, 503));
        CHECK(reply.header("retry-after") == "1");
    }
}

TEST_CASE("when_finished needs a host that answers later: a 1.0-style host refuses the start, saying why") {
    FakeHost host;
    TestNode node(host, "hook", free_port());
    REQUIRE(node.set("respond", "when_finished") == NB_OK);
    CHECK(node.start() == NB_ERR_INVALID);
    CHECK(node.error().find("respond=when_finished") != std::string::npos);
    CHECK(node.error().find(NB_EXT_ASYNC_TRIGGER) != std::string::npos);
}

TEST_CASE("the event carries its delivery id and the node's dedupe window (NB_EXT_DELIVERY)") {
    Parked s({{"dedupe_window_s", "60"}});
    HttpRequest req;
    req.body = "{}";
    req.headers = {{"X-GitHub-Delivery", "d-1"}};
    CHECK(http_request(s.port, req).status == 200);
    const HttpReply again = http_request(s.port, req);
    CHECK(again.status == 200);
    CHECK(again.body == R"({"status":"ok","duplicate":true})");
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].delivery_id == "d-1");
    CHECK(s.host.triggers()[0].dedupe_window_s == 60);
}

TEST_CASE("a refused delivery is not remembered: its retry runs") {
    Parked s({{"dedupe_window_s", "60"}});
    HttpRequest req;
    req.body = "{}";
    req.headers = {{"Idempotency-Key", "k-1"}};
    s.host.answer(NB_TRIGGER_QUEUE_FULL);
    CHECK(http_request(s.port, req).status == 503);
    s.host.answer(NB_TRIGGER_ACCEPTED);
    const HttpReply retry = http_request(s.port, req);
    CHECK(retry.status == 200);
    CHECK(retry.body == kOk);
}

TEST_CASE("NB_EXT_LISTEN_ADDRESS says where a started node listens, nothing once stopped") {
    FakeHost host(true);
    const std::uint16_t port = free_port();
    TestNode node(host, "hook", port, "/in");
    REQUIRE(node.set("bind", "127.0.0.1") == NB_OK);
    const nb_node_t *abi = node.abi();
    REQUIRE(nb_version_has(abi->abi, 1));
    REQUIRE(bool(abi->get_extension));
    CHECK(abi->get_extension(abi, "nb.no_such/1") == nullptr);
    const auto *listen = static_cast<const nb_node_listen_address_t *>(
        abi->get_extension(abi, NB_EXT_LISTEN_ADDRESS));
    REQUIRE(listen);
    CHECK(listen->count(abi) == 0);
    REQUIRE(node.start() == NB_OK);
    REQUIRE(listen->count(abi) == 1);
    nb_listen_address_t address{};
    REQUIRE(listen->get(abi, 0, &address));
    CHECK(std::string(address.scheme) == "http");
    CHECK(std::string(address.address) == "127.0.0.1");
    CHECK(address.port == port);
    CHECK(std::string(address.path) == "/in");
    CHECK_FALSE(listen->get(abi, 1, &address));
    CHECK_FALSE(listen->get(abi, 0, nullptr));
    node.stop();
    CHECK(listen->count(abi) == 0);
}

TEST_CASE("stop waits up to 1 s for an owed outcome: a run ending meanwhile still answers its caller") {
    Parked s({{"respond", "when_finished"}});
    s.host.block_triggers();
    RunEnd end;
    end.kind = NB_OUTCOME_REPLY;
    end.body = "just in time";
    s.host.end_runs_with(end);
    HttpReply reply;
    std::thread caller([&] { reply = s.post(); });
    REQUIRE(s.host.wait_for_triggers(1, 10s));
    std::thread stopper([&] { s.node.stop(); });
    std::this_thread::sleep_for(200ms);
    s.host.unblock_triggers();
    stopper.join();
    caller.join();
    CHECK(reply.status == 200);
    CHECK(reply.body == "just in time");
}
