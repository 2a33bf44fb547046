#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <sstream>
#include <thread>

#include <plugins/abi_extensions.hpp>

#include "async_nodes.hpp"

using namespace nb::host;
using nb::test::AsyncNodes;
using nb::test::Gate;
using nb::test::Outcome;
using nb::test::Told;
using std::chrono::milliseconds;

namespace {

const nb_event_t kEvent{NB_VERSION_INIT, "POST", "/", "{}", 2, "{}", 2, "{}", 2, "127.0.0.1:1", nullptr};

// A host running `nodes` with `workers` workers and a queue of `capacity`.
struct Running {
    std::ostringstream log;
    Host host{log};
    const nb_node_t *source;  // the test's, so it outlives the host's workflow
    Running(AsyncNodes &nodes, std::size_t workers, std::size_t capacity, milliseconds hold = milliseconds(1000),
            std::size_t pace_depth = SIZE_MAX, milliseconds pace_wait = milliseconds(0))
        : source(&nodes.src) {
        host.set_hold_wait(hold);
        host.set_pacing(pace_depth, pace_wait);
        host.start_runs(nodes.workflow(), workers, capacity);
    }
    const nb_node_t *src() const { return source; }
    void submit(Outcome &outcome, uint32_t flags = 0, const nb_event_t &event = kEvent) {
        nb::test::async_trigger(host).submit(&host.abi(), src(), &event, flags, outcome.sink());
    }
    void cancel_pending() { nb::test::async_trigger(host).cancel_pending(&host.abi(), src()); }
};

// set_reply of `host`, for node code written before the host exists.
nb_reply_result_t set_reply(const Host *host, const nb_run_t *run, const nb_reply_t *reply) {
    return nb::test::run_reply(*host).set_reply(&host->abi(), run, reply);
}

nb_reply_t reply_of(unsigned status, const char *body) {
    return {NB_VERSION_INIT, status, nullptr, nullptr, 0, body, body ? std::strlen(body) : 0};
}

// Pacing at depth 1 with the one worker stuck at `gate` in a first run and
// a second run waiting behind it: every later submit is paced. `runs`
// counts the runs that passed the gate. A test opens the gate before it ends.
struct StuckWorker {
    AsyncNodes nodes;
    Gate gate;
    std::atomic<int> runs{0};
    Outcome running, waiting;
    Running r;  // last: shut down before what its runs and outcomes use
    StuckWorker(std::size_t capacity, milliseconds pace_wait)
        : r(nodes, 1, capacity, milliseconds(1000), 1, pace_wait) {
        nodes.on_src = [this](const nb_run_t *) {
            gate.wait();
            ++runs;
            return NB_OK;
        };
        r.submit(running);
        gate.wait_arrived(1);
        r.submit(waiting);
    }
};

}  // namespace

TEST_CASE("nb-host offers the async trigger and run reply extensions, and nothing else") {
    std::ostringstream log;
    Host host(log);
    const nb_host_t &abi = host.abi();
    REQUIRE(nb_version_has(abi.abi, 1));
    const auto *async = static_cast<const nb_host_async_trigger_t *>(abi.get_extension(&abi, NB_EXT_ASYNC_TRIGGER));
    REQUIRE(async);
    CHECK(async->flags == 0);  // the memory store does not dedupe
    CHECK(static_cast<bool>(async->submit));
    CHECK(static_cast<bool>(async->cancel_pending));
    const auto *reply = static_cast<const nb_host_run_reply_t *>(abi.get_extension(&abi, NB_EXT_RUN_REPLY));
    REQUIRE(reply);
    CHECK(static_cast<bool>(reply->set_reply));
    CHECK(abi.get_extension(&abi, NB_EXT_DELIVERY) == nullptr);
    CHECK(abi.get_extension(&abi, "nb.async_trigger/2") == nullptr);
    CHECK(abi.get_extension(&abi, nullptr) == nullptr);
}

TEST_CASE("a submit with room is ACCEPTED at once, on the submitting thread, and runs") {
    AsyncNodes nodes;
    std::atomic<int> runs{0};
    nodes.on_step = [&](const nb_run_t *) { ++runs; return NB_OK; };
    Running r(nodes, 1, 4);
    Outcome outcome;
    r.submit(outcome);
    REQUIRE(outcome.count() == 1);  // before submit returned
    const Told told = *outcome.wait();
    CHECK(told.kind == NB_OUTCOME_ACCEPTED);
    CHECK(told.thread == std::this_thread::get_id());
    r.host.shutdown();
    CHECK(runs == 1);
    CHECK(outcome.count() == 1);
}

TEST_CASE("a submit into a full queue is held, then REFUSED when the wait ends, even with every worker stuck") {
    AsyncNodes nodes;
    Gate gate;
    std::atomic<int> runs{0};
    nodes.on_src = [&](const nb_run_t *) { ++runs; gate.wait(); return NB_OK; };
    Running r(nodes, 1, 1, milliseconds(100));
    Outcome running, queued, held;
    r.submit(running);
    gate.wait_arrived(1);
    r.submit(queued);
    const auto start = std::chrono::steady_clock::now();
    r.submit(held);
    CHECK(held.count() == 0);  // held, not answered
    const auto told = held.wait();
    REQUIRE(told);
    CHECK(std::chrono::steady_clock::now() - start >= milliseconds(100));
    CHECK(told->kind == NB_OUTCOME_REFUSED);
    CHECK(told->refusal == NB_REFUSED_QUEUE_FULL);
    CHECK_FALSE(told->message.empty());
    gate.open();
    r.host.shutdown();
    CHECK(runs == 2);  // the refused one never ran
    CHECK(held.count() == 1);
}

TEST_CASE("held submits are ACCEPTED in order as workers free room") {
    AsyncNodes nodes;
    Gate gate;
    std::mutex mutex;
    std::string bodies;
    nodes.on_src = [&](const nb_run_t *run) {
        gate.wait();
        std::lock_guard lock(mutex);
        bodies.append(run->event->body, run->event->body_len);
        return NB_OK;
    };
    Running r(nodes, 1, 1, std::chrono::minutes(10));  // only room ends the hold
    std::array<Outcome, 4> outcomes;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const std::string body(1, static_cast<char>('a' + i));
        nb_event_t event = kEvent;
        event.body = body.c_str();
        event.body_len = 1;
        r.submit(outcomes[i], 0, event);
        if (i == 0) gate.wait_arrived(1);
    }
    CHECK(outcomes[0].count() == 1);
    CHECK(outcomes[1].count() == 1);
    CHECK(outcomes[2].count() == 0);
    CHECK(outcomes[3].count() == 0);
    gate.open();
    for (Outcome &o : outcomes) CHECK(o.wait()->kind == NB_OUTCOME_ACCEPTED);
    r.host.shutdown();
    CHECK(bodies == "abcd");
}

TEST_CASE("a submit finding pace_depth runs waiting is queued, its ACCEPTED held until the workers catch up") {
    AsyncNodes nodes;
    Gate gate;
    std::atomic<int> runs{0};
    nodes.on_src = [&](const nb_run_t *) { gate.wait(); ++runs; return NB_OK; };
    Running r(nodes, 1, 16, milliseconds(1000), 2, std::chrono::minutes(10));  // only a worker ends the pace
    std::array<Outcome, 5> outcomes;
    r.submit(outcomes[0]);  // handed to the worker, which waits at the gate
    gate.wait_arrived(1);
    for (std::size_t i = 1; i < outcomes.size(); ++i) r.submit(outcomes[i]);
    // Two waiting: the third and fourth found the pace depth, and returned.
    CHECK(outcomes[1].count() == 1);
    CHECK(outcomes[2].count() == 1);
    CHECK(outcomes[3].count() == 0);
    CHECK(outcomes[4].count() == 0);
    gate.open();
    for (Outcome &o : outcomes) {
        const auto told = o.wait();
        REQUIRE(told);
        CHECK(told->kind == NB_OUTCOME_ACCEPTED);
    }
    CHECK(outcomes[3].wait()->thread != std::this_thread::get_id());
    r.host.shutdown();
    CHECK(runs == 5);  // every paced one ran
    for (Outcome &o : outcomes) CHECK(o.count() == 1);
}

TEST_CASE("with every worker stuck, paced ACCEPTEDs still come, one per pace_wait") {
    StuckWorker w(16, milliseconds(50));
    std::array<Outcome, 3> paced;
    const auto start = std::chrono::steady_clock::now();
    for (Outcome &o : paced) w.r.submit(o);
    for (Outcome &o : paced) CHECK(o.count() == 0);
    for (std::size_t i = 0; i < paced.size(); ++i) {
        const auto told = paced[i].wait();
        REQUIRE(told);
        CHECK(told->kind == NB_OUTCOME_ACCEPTED);
        // Not all at once when their waits end together: one per pace_wait.
        CHECK(std::chrono::steady_clock::now() - start >= milliseconds(50) * (i + 1));
    }
    w.gate.open();
    w.r.host.shutdown();
}

TEST_CASE("no paced ACCEPTED waits longer than 100 pace_waits, however many wait") {
    StuckWorker w(256, milliseconds(10));
    std::array<Outcome, 150> paced;
    const auto start = std::chrono::steady_clock::now();
    for (Outcome &o : paced) w.r.submit(o);
    // One per pace_wait would tell the last after 1.5 s; at 1 s all are overdue.
    for (Outcome &o : paced) REQUIRE(o.wait());
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= milliseconds(1000));
    CHECK(took < milliseconds(1400));
    for (Outcome &o : paced) CHECK(o.wait()->kind == NB_OUTCOME_ACCEPTED);
    w.gate.open();
    w.r.host.shutdown();
}

TEST_CASE("cancel_pending and shutdown tell a paced submit ACCEPTED: it is queued and runs") {
    StuckWorker w(16, std::chrono::minutes(10));
    Outcome paced;
    w.r.submit(paced);
    REQUIRE(paced.count() == 0);
    SUBCASE("cancel_pending") {
        w.r.cancel_pending();
        REQUIRE(paced.count() == 1);  // before cancel_pending returned
        w.gate.open();
    }
    SUBCASE("shutdown") {
        std::thread opener([&] {
            std::this_thread::sleep_for(milliseconds(50));
            w.gate.open();
        });
        w.r.host.shutdown();
        opener.join();
        REQUIRE(paced.count() == 1);
    }
    CHECK(paced.wait()->kind == NB_OUTCOME_ACCEPTED);
    w.r.host.shutdown();
    CHECK(w.runs == 3);
}

TEST_CASE("submits while the host shuts down, or for a stranger, are REFUSED") {
    AsyncNodes nodes;
    Gate gate;
    nodes.on_src = [&](const nb_run_t *) { gate.wait(); return NB_OK; };
    Running r(nodes, 1, 1, std::chrono::minutes(10));
    Outcome running, queued, held, stranger, late;
    const nb_node_t other{};
    nb::test::async_trigger(r.host).submit(&r.host.abi(), &other, &kEvent, 0, stranger.sink());
    CHECK(stranger.wait()->kind == NB_OUTCOME_REFUSED);
    CHECK_FALSE(stranger.wait()->message.empty());
    r.submit(running);
    gate.wait_arrived(1);
    r.submit(queued);
    r.submit(held);
    std::thread shutting([&] { r.host.shutdown(); });  // drains: waits for the gate
    const auto told = held.wait();
    REQUIRE(told);
    CHECK(told->kind == NB_OUTCOME_REFUSED);
    CHECK(told->refusal == NB_REFUSED_SHUTTING_DOWN);
    gate.open();
    shutting.join();
    r.submit(late);
    CHECK(late.wait()->kind == NB_OUTCOME_REFUSED);
    CHECK(late.wait()->refusal == NB_REFUSED_SHUTTING_DOWN);
}

TEST_CASE("an awaited run that ends without a reply is FINISHED, told when it ends") {
    AsyncNodes nodes;
    Gate gate;
    nodes.on_step = [&](const nb_run_t *) { gate.wait(); return NB_OK; };
    Running r(nodes, 1, 4);
    Outcome outcome;
    r.submit(outcome, NB_SUBMIT_AWAIT_RUN);
    gate.wait_arrived(1);
    CHECK(outcome.count() == 0);  // not ACCEPTED: the run's end is the outcome
    gate.open();
    CHECK(outcome.wait()->kind == NB_OUTCOME_FINISHED);
    r.host.shutdown();
    CHECK(outcome.count() == 1);
}

TEST_CASE("the first reply of an awaited run is its outcome; a second is ALREADY_SET") {
    AsyncNodes nodes;
    std::vector<nb_reply_result_t> results;
    const Host *host = nullptr;
    nodes.on_src = [&](const nb_run_t *run) {
        // Everything the reply points to dies when set_reply returns: the host copies it.
        std::string name = "X-Id", value = "7", body = "first", type = "text/plain";
        const nb_header_field_t header{name.c_str(), value.c_str()};
        const nb_reply_t reply{NB_VERSION_INIT, 201, type.c_str(), &header, 1, body.data(), body.size()};
        results.push_back(set_reply(host, run, &reply));
        name = value = body = type = "overwritten";
        return NB_OK;
    };
    nodes.on_step = [&](const nb_run_t *run) {
        const nb_reply_t second = reply_of(202, "second");
        results.push_back(set_reply(host, run, &second));
        return NB_ERR_INTERNAL;  // a failure after the reply: the reply still wins
    };
    Running r(nodes, 1, 4);
    host = &r.host;
    Outcome outcome;
    r.submit(outcome, NB_SUBMIT_AWAIT_RUN);
    const auto told = outcome.wait();
    REQUIRE(told);
    CHECK(told->kind == NB_OUTCOME_REPLY);
    CHECK(told->reply_status == 201u);
    CHECK(told->reply_body == "first");
    CHECK(told->reply_type == "text/plain");
    CHECK(told->reply_headers == "X-Id: 7;");
    r.host.shutdown();
    CHECK(results == std::vector<nb_reply_result_t>{NB_REPLY_SET, NB_REPLY_ALREADY_SET});
}

TEST_CASE("an awaited run that fails is RUN_FAILED, naming the node and its last_error") {
    AsyncNodes nodes;
    nodes.on_step = [](const nb_run_t *) { return NB_ERR_INTERNAL; };
    Running r(nodes, 1, 4);
    Outcome outcome;
    r.submit(outcome, NB_SUBMIT_AWAIT_RUN);
    const auto told = outcome.wait();
    REQUIRE(told);
    CHECK(told->kind == NB_OUTCOME_RUN_FAILED);
    CHECK(told->failed_node == "step");
    CHECK(told->message == "step broke");
    r.host.shutdown();
    CHECK(r.log.str().find("[node step] run 1 failed: step broke") != std::string::npos);
}

TEST_CASE("set_reply in a run nobody awaits is NOT_AWAITED: an accepted submit, a 1.0 trigger") {
    AsyncNodes nodes;
    std::vector<nb_reply_result_t> results;
    const Host *host = nullptr;
    std::atomic<int> runs{0};
    nodes.on_step = [&](const nb_run_t *run) {
        const nb_reply_t reply = reply_of(200, "x");
        results.push_back(set_reply(host, run, &reply));
        ++runs;
        return NB_OK;
    };
    Running r(nodes, 1, 4);
    host = &r.host;
    Outcome outcome;
    r.submit(outcome);
    CHECK(outcome.wait()->kind == NB_OUTCOME_ACCEPTED);
    CHECK(r.host.abi().trigger(&r.host.abi(), r.src(), &kEvent) == NB_TRIGGER_ACCEPTED);
    r.host.shutdown();
    CHECK(runs == 2);
    CHECK(results == std::vector<nb_reply_result_t>{NB_REPLY_NOT_AWAITED, NB_REPLY_NOT_AWAITED});
}

TEST_CASE("set_reply is INVALID outside the run's execute, for NULLs and for a status outside 200-599") {
    AsyncNodes nodes;
    std::vector<nb_reply_result_t> results;
    const Host *host = nullptr;
    const nb_run_t *saved = nullptr;
    nodes.on_src = [&](const nb_run_t *run) {
        saved = run;
        const nb_reply_t ok = reply_of(200, "ok");
        nb_reply_result_t from_other_thread = NB_REPLY_SET;
        std::thread([&] { from_other_thread = set_reply(host, run, &ok); }).join();
        results.push_back(from_other_thread);
        results.push_back(set_reply(host, nullptr, &ok));
        results.push_back(set_reply(host, run, nullptr));
        results.push_back(nb::test::run_reply(*host).set_reply(nullptr, run, &ok));
        const nb_reply_t low = reply_of(199, nullptr), high = reply_of(600, nullptr);
        results.push_back(set_reply(host, run, &low));
        results.push_back(set_reply(host, run, &high));
        nb_reply_t no_body = reply_of(200, nullptr);
        no_body.body_len = 3;
        results.push_back(set_reply(host, run, &no_body));
        return NB_OK;
    };
    nodes.on_step = [&](const nb_run_t *run) {
        // src's handle, saved: its execute has returned.
        const nb_reply_t ok = reply_of(200, "ok");
        results.push_back(set_reply(host, saved, &ok));
        results.push_back(set_reply(host, run, &ok));  // this one is good
        return NB_OK;
    };
    Running r(nodes, 1, 4);
    host = &r.host;
    Outcome outcome;
    r.submit(outcome, NB_SUBMIT_AWAIT_RUN);
    REQUIRE(outcome.wait());
    CHECK(outcome.wait()->kind == NB_OUTCOME_REPLY);
    r.host.shutdown();
    const nb_reply_t ok = reply_of(200, "ok");
    CHECK(set_reply(host, saved, &ok) == NB_REPLY_INVALID);  // after the run, on another thread
    CHECK(results == std::vector<nb_reply_result_t>{NB_REPLY_INVALID, NB_REPLY_INVALID, NB_REPLY_INVALID,
                                                    NB_REPLY_INVALID, NB_REPLY_INVALID, NB_REPLY_INVALID,
                                                    NB_REPLY_INVALID, NB_REPLY_INVALID, NB_REPLY_SET});
}

TEST_CASE("cancel_pending delivers CANCELLED for everything owed, then nothing more reaches the node") {
    AsyncNodes nodes;
    Gate gate;
    std::atomic<int> runs{0};
    nodes.on_src = [&](const nb_run_t *) { gate.wait(); ++runs; return NB_OK; };
    Running r(nodes, 1, 1, std::chrono::minutes(10));
    Outcome running, queued, held, held_awaited, after;
    r.submit(running, NB_SUBMIT_AWAIT_RUN);
    gate.wait_arrived(1);
    r.submit(queued, NB_SUBMIT_AWAIT_RUN);
    r.submit(held);
    r.submit(held_awaited, NB_SUBMIT_AWAIT_RUN);
    for (Outcome *o : {&running, &queued, &held, &held_awaited}) CHECK(o->count() == 0);
    r.cancel_pending();
    // Every one told before cancel_pending returned.
    for (Outcome *o : {&running, &queued, &held, &held_awaited}) {
        REQUIRE(o->count() == 1);
        CHECK(o->wait()->kind == NB_OUTCOME_CANCELLED);
    }
    CHECK(running.wait()->accepted);
    CHECK(queued.wait()->accepted);
    CHECK_FALSE(held.wait()->accepted);
    CHECK_FALSE(held_awaited.wait()->accepted);
    r.submit(after);
    CHECK(after.wait()->kind == NB_OUTCOME_REFUSED);
    CHECK(after.wait()->refusal == NB_REFUSED_NODE_STOPPING);
    gate.open();
    r.host.shutdown();
    CHECK(runs == 2);  // the accepted ones ran on; the held ones never did
    for (Outcome *o : {&running, &queued, &held, &held_awaited, &after}) CHECK(o->count() == 1);
}

TEST_CASE("cancel_pending returns only after a deliver in progress on a worker has returned") {
    AsyncNodes nodes;
    Running r(nodes, 1, 4);
    std::atomic<bool> entered{false}, returned{false};
    struct Slow {
        std::atomic<bool> *entered, *returned;
        nb_outcome_sink_t sink;
    } slow{&entered, &returned, {nullptr, nullptr}};
    slow.sink = {&slow, [](const nb_outcome_sink_t *sink, const nb_outcome_t *) {
                     auto &self = *static_cast<Slow *>(sink->context);
                     *self.entered = true;
                     std::this_thread::sleep_for(milliseconds(200));
                     *self.returned = true;
                 }};
    nb::test::async_trigger(r.host).submit(&r.host.abi(), r.src(), &kEvent, NB_SUBMIT_AWAIT_RUN, &slow.sink);
    while (!entered) std::this_thread::yield();
    r.cancel_pending();
    CHECK(returned);
    r.host.shutdown();
}

TEST_CASE("exactly one outcome per submit when the run's end races cancel_pending") {
    for (int round = 0; round < 200; ++round) {
        CAPTURE(round);
        AsyncNodes nodes;
        Running r(nodes, 2, 4);
        std::array<Outcome, 3> outcomes;
        for (Outcome &o : outcomes) r.submit(o, NB_SUBMIT_AWAIT_RUN);
        if (round % 2) std::this_thread::yield();
        r.cancel_pending();
        for (Outcome &o : outcomes) CHECK(o.count() == 1);  // all told by now
        r.host.shutdown();
        for (Outcome &o : outcomes) {
            CHECK(o.count() == 1);
            const nb_outcome_kind_t kind = o.wait()->kind;
            CHECK((kind == NB_OUTCOME_FINISHED || (kind == NB_OUTCOME_CANCELLED && o.wait()->accepted)));
        }
    }
}

TEST_CASE("the event's delivery id reaches the run through run->event's get_extension") {
    AsyncNodes nodes;
    std::vector<std::string> seen;
    nodes.on_src = [&](const nb_run_t *run) {
        const auto *delivery = static_cast<const nb_event_delivery_t *>(event_extension(*run->event, NB_EXT_DELIVERY));
        if (!delivery) {
            seen.push_back("none");
        } else {
            seen.push_back((delivery->id ? std::string(delivery->id, delivery->id_len) : "NULL") + "/" +
                           std::to_string(delivery->dedupe_window_s));
        }
        CHECK(run->event->get_extension(run->event, "nb.other/1") == nullptr);
        return NB_OK;
    };
    Running r(nodes, 1, 4);
    struct WithDelivery {
        nb_event_t event;
        nb_event_delivery_t delivery;
    };
    std::string id = "evt_42";
    WithDelivery with{kEvent, {id.data(), id.size(), 300}};
    with.event.get_extension = [](const nb_event_t *event, const char *ext) -> const void * {
        return std::strcmp(ext, NB_EXT_DELIVERY) == 0 ? &reinterpret_cast<const WithDelivery *>(event)->delivery
                                                      : nullptr;
    };
    WithDelivery without_id{kEvent, {nullptr, 0, 60}};
    without_id.event.get_extension = with.event.get_extension;
    // A 1.0 event: its get_extension is past its end and must not be read.
    nb_event_t old = kEvent;
    old.abi = {1, 0, 0};
    old.get_extension = [](const nb_event_t *, const char *) -> const void * {
        FAIL("a 1.0 event's get_extension was called");
        return nullptr;
    };
    Outcome a, b, c, d;
    r.submit(a, 0, with.event);
    id = "changed";  // the host copied it
    r.submit(b, 0, without_id.event);
    r.submit(c, 0, old);
    r.submit(d, 0, kEvent);  // 1.1, no get_extension
    r.host.shutdown();
    CHECK(seen == std::vector<std::string>{"evt_42/300", "NULL/60", "none", "none"});
}
