// Asynchronous outcomes (NB_EXT_ASYNC_TRIGGER, async_trigger.h), for event
// sources reachable over HTTP: the host tells the outcome exactly once, from
// any thread, and the source answers its caller from it without blocking.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "conformance_config.hpp"
#include "check_host.hpp"
#include "net_helpers.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;
using namespace std::chrono_literals;

namespace {

std::string post_request(const std::string &path) {
    return "POST " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
}

// How many HTTP answers a raw exchange holds (status lines at a line start).
int answers_in(const std::string &raw) {
    int count = 0;
    for (std::size_t at = raw.find("HTTP/1."); at != std::string::npos; at = raw.find("HTTP/1.", at + 1))
        if (at == 0 || raw[at - 1] == '\n') ++count;
    return count;
}

// What a caller whose event was accepted must get: one answer, 200.
void check_one_accepted_answer(const std::string &raw, const char *which) {
    INFO(which << " request's answer: " << raw.substr(0, 200));
    CHECK_MESSAGE(answers_in(raw) == 1, "not exactly one HTTP answer for one outcome");
    CHECK_MESSAGE(nb::test::raw_status(raw) == 200, "an ACCEPTED outcome was not answered 200");
}

// The host keeps "exactly once"; a source that hands one sink to two submits
// at once would make it deliver twice.
void check_each_sink_delivered_once(const nb::test::FakeHost &host) {
    for (const auto &problem : host.sink_problems()) CHECK_MESSAGE(false, problem);
}

// Calls check(host, node, route) for every event source reachable over HTTP,
// started with a FakeHost offering NB_EXT_ASYNC_TRIGGER.
template <typename Check>
void for_each_async_http_source(Check check) {
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        if (!(d.flags & NB_NODE_EVENT_SOURCE)) return;
        CheckHost host(true);
        Instance node(entry, d, host.host());
        REQUIRE(node);
        const HttpRoute route = use_free_route(node.get(), d);
        if (!route) return;
        REQUIRE_MESSAGE(node->start(node.get()) == NB_OK, text(node->last_error(node.get())));
        check(host, node, route);
    });
}

}  // namespace

TEST_CASE("event sources answer from the async host's outcome, inline or later, without blocking") {
    for_each_async_http_source([&](nb::test::FakeHost &host, const Instance &node, const HttpRoute &route) {
        const std::string request = post_request(route.path);

        // Delivered inside submit: the answer may come before submit returns.
        check_one_accepted_answer(nb::test::raw_exchange(route.port, request), "inline");
        // Without submit the rest would block in trigger: stop here.
        REQUIRE_MESSAGE(host.submit_count() == 1,
                        "the host offers " NB_EXT_ASYNC_TRIGGER " but a request was not submitted ("
                            << host.trigger_count() << " trigger/submit calls, "
                            << host.submit_count() << " submits)");

        // Held: a second connection must still be read and submitted, since
        // an event loop waiting for the first outcome would stall them all.
        host.block_triggers();
        auto first = nb::test::connect_raw(route.port);
        nb::test::send_all(first, request);
        REQUIRE_MESSAGE(host.wait_for_triggers(2, 5s), "a request was not submitted");
        auto second = nb::test::connect_raw(route.port);
        nb::test::send_all(second, request);
        CHECK_MESSAGE(host.wait_for_triggers(3, 5s),
                      "a request on a second connection was not submitted while the first's "
                      "outcome was held: the server thread blocks on an outcome");
        // Delivered later, from a thread the plugin has never seen.
        std::thread([&] { host.unblock_triggers(); }).join();
        check_one_accepted_answer(nb::test::read_until_close(first, 5000ms), "first held");
        check_one_accepted_answer(nb::test::read_until_close(second, 5000ms), "second held");
        node->stop(node.get());
        check_each_sink_delivered_once(host);
    });
}

TEST_CASE("an event source's stop cancels the outcomes still held and its callers are not left hanging") {
    for_each_async_http_source([&](nb::test::FakeHost &host, const Instance &node, const HttpRoute &route) {
        host.block_triggers();
        auto held = nb::test::connect_raw(route.port);
        nb::test::send_all(held, post_request(route.path));
        REQUIRE_MESSAGE(host.wait_for_triggers(1, 5s), "a request was not submitted");
        REQUIRE_MESSAGE(host.submit_count() == 1,
                        "the host offers " NB_EXT_ASYNC_TRIGGER " but the request was not submitted");
        const std::size_t cancels = host.cancel_calls();
        node->stop(node.get());
        // Only cancel_pending makes "no outcome can reach the node" true: the
        // host would otherwise deliver into a stopped (or unloaded) node.
        CHECK_MESSAGE(host.cancel_calls() > cancels, "stop did not call cancel_pending while an outcome was held");
        CHECK_MESSAGE(host.held_outcomes() == 0, "after stop the host still holds an outcome for the node");
        bool closed = false;
        const std::string answer = nb::test::read_until_close(held, 5000ms, &closed);
        CHECK_MESSAGE((closed || !answer.empty()),
                      "stop left the held request's caller with neither an answer nor a closed connection");
        check_each_sink_delivered_once(host);
        // Nothing held is released after stop: delivering then would be the
        // very bug checked above.
    });
}
