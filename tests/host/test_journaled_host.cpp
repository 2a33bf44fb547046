#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nb/run_event.h>
#include <scheduling/event_copy.hpp>
#include <store/sqlite.hpp>

#include "async_nodes.hpp"

using namespace nb::host;
using nb::test::AsyncNodes;
using nb::test::Gate;
using nb::test::Outcome;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

namespace {

// A fresh folder for one test's journal, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string name = (fs::temp_directory_path() / "nb-host-journal-XXXXXX").string();
        REQUIRE(::mkdtemp(name.data()) != nullptr);
        path = name;
    }
    ~TempDir() { fs::remove_all(path); }
};

// An event with a delivery id (NB_EXT_DELIVERY), as the webhook hands over.
struct Delivered {
    nb_event_delivery_t delivery;
    EventView view;
    Delivered(const char *id, std::uint32_t window, const char *body = "{}")
        : delivery{id, std::strlen(id), window},
          view({NB_VERSION_INIT, "POST", "/hook", body, std::strlen(body), "{}", 2, "{}", 2, "127.0.0.1:1", nullptr},
               &delivery) {}
    const nb_event_t &event() const { return *view.get(); }
};

const Delivered kPlain("", 0);

// What NB_EXT_RUN_EVENT told the step node, run by run.
struct Seen {
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> runs;
    std::atomic<bool> fail{false};  // the step node fails every run
    void add(std::uint64_t id, std::uint32_t attempt) {
        std::lock_guard lock(mutex);
        runs.emplace_back(id, attempt);
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return runs.size();
    }
};

// A host with a journal in `dir`, its step node recording the run's event.
struct Journaled {
    std::ostringstream log;
    Host host{log};
    Journaled(AsyncNodes &nodes, const fs::path &dir, Seen &seen, std::size_t capacity = 64,
              unsigned retries = 0, std::uint64_t queue_bytes = 0, milliseconds hold = milliseconds(1000)) {
        nodes.on_step = [this, &seen](const nb_run_t *run) {
            const auto *ext = static_cast<const nb_host_run_event_t *>(
                host.abi().get_extension(&host.abi(), NB_EXT_RUN_EVENT));
            std::uint64_t id = 0;
            std::uint32_t attempt = 0;
            if (ext && ext->get(&host.abi(), run, &id, &attempt)) seen.add(id, attempt);
            return seen.fail ? NB_ERR_INTERNAL : NB_OK;
        };
        JournalOptions options;
        options.path = dir / "test.journal";
        host.use_journal(std::make_unique<Journal>(options));
        host.set_retries(retries, milliseconds(20));
        host.set_queue_bytes(queue_bytes);
        host.set_hold_wait(hold);
        host.start_runs(nodes.workflow(), 1, capacity);
    }
    void submit(const nb_node_t *src, Outcome &outcome, const nb_event_t &event = kPlain.event()) {
        nb::test::async_trigger(host).submit(&host.abi(), src, &event, 0, outcome.sink());
    }
};

// Every run of the source waits at `gate`.
void stop_at(AsyncNodes &nodes, Gate &gate) {
    nodes.on_src = [&gate](const nb_run_t *) {
        gate.wait();
        return NB_OK;
    };
}

std::int64_t rows(const fs::path &dir, const std::string &where = "1") {
    Database db((dir / "test.journal").string(), false);
    return db.scalar(("SELECT count(*) FROM events WHERE " + where).c_str());
}

void wait_for(const std::function<bool()> &done) {
    for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(milliseconds(10));
    REQUIRE(done());
}

}  // namespace

TEST_CASE("with a journal, ACCEPTED comes after the commit, and every node of the run reads its event id") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    {
        Outcome first, second;
        Journaled j(nodes, dir.path, seen);
        CHECK(nb::test::async_trigger(j.host).flags == NB_ASYNC_HOST_DEDUPES);
        std::int64_t stored_when_told = -1;
        nodes.on_src = [&](const nb_run_t *) {
            if (stored_when_told < 0) stored_when_told = rows(dir.path, "id = 1");
            return NB_OK;
        };
        j.submit(&nodes.src, first);
        REQUIRE(first.wait());
        CHECK(first.wait()->kind == NB_OUTCOME_ACCEPTED);
        j.submit(&nodes.src, second);
        CHECK(second.wait()->kind == NB_OUTCOME_ACCEPTED);
        wait_for([&] { return seen.size() == 2; });
        CHECK(stored_when_told == 1);  // the first run saw its event stored already
        CHECK(seen.runs[0] == std::make_pair(std::uint64_t{1}, std::uint32_t{1}));
        CHECK(seen.runs[1] == std::make_pair(std::uint64_t{2}, std::uint32_t{1}));
        j.host.shutdown();
    }
    CHECK(rows(dir.path, "state = 1 AND attempts = 1") == 2);
}

TEST_CASE("without a journal, NB_EXT_RUN_EVENT says no and the host does not dedupe") {
    AsyncNodes nodes;
    std::ostringstream log;
    Host host(log);
    std::atomic<int> answered{-1};
    nodes.on_step = [&](const nb_run_t *run) {
        const auto *ext =
            static_cast<const nb_host_run_event_t *>(host.abi().get_extension(&host.abi(), NB_EXT_RUN_EVENT));
        std::uint64_t id = 7;
        std::uint32_t attempt = 7;
        answered = ext && ext->get(&host.abi(), run, &id, &attempt) ? 1 : (id == 7 && attempt == 7 ? 0 : 2);
        return NB_OK;
    };
    host.start_runs(nodes.workflow(), 1, 8);
    CHECK(nb::test::async_trigger(host).flags == 0);
    Outcome outcome;
    nb::test::async_trigger(host).submit(&host.abi(), &nodes.src, &kPlain.event(), 0, outcome.sink());
    CHECK(outcome.wait()->kind == NB_OUTCOME_ACCEPTED);
    wait_for([&] { return answered >= 0; });
    CHECK(answered == 0);
}

TEST_CASE("events accepted and not finished run again at the next start, one attempt later") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    {
        // A worker stuck in the first run: what a crash leaves pending.
        Gate gate;
        stop_at(nodes, gate);
        Outcome a, b, c;
        Journaled j(nodes, dir.path, seen);
        j.submit(&nodes.src, a);
        j.submit(&nodes.src, b);
        j.submit(&nodes.src, c);
        for (Outcome *o : {&a, &b, &c}) CHECK(o->wait()->kind == NB_OUTCOME_ACCEPTED);
        gate.wait_arrived(1);
        CHECK(rows(dir.path, "state = 0") == 3);
        nodes.on_src = nullptr;
        gate.open();
        j.host.shutdown();
        // As a crash during their first runs would have left them.
        Database((dir.path / "test.journal").string(), false).exec("UPDATE events SET state = 0, attempts = 1");
    }
    seen.runs.clear();
    Journaled again(nodes, dir.path, seen);
    CHECK(again.host.replay_pending() == 3);
    wait_for([&] { return seen.size() == 3; });
    for (const auto &[id, attempt] : seen.runs) CHECK(attempt == 2);
    again.host.shutdown();
    CHECK(rows(dir.path, "state = 1") == 3);
}

TEST_CASE("replayed events wait for room in a full queue, each kept whole") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    const Delivered one("", 0, "one"), two("", 0, "two"), three("", 0, "three");
    {
        Outcome a, b, c;
        Journaled j(nodes, dir.path, seen);
        j.submit(&nodes.src, a, one.event());
        j.submit(&nodes.src, b, two.event());
        j.submit(&nodes.src, c, three.event());
        for (Outcome *o : {&a, &b, &c}) CHECK(o->wait()->kind == NB_OUTCOME_ACCEPTED);
        j.host.shutdown();
        Database((dir.path / "test.journal").string(), false).exec("UPDATE events SET state = 0");
    }
    seen.runs.clear();
    // One worker held in the first run past the queue's 1 s wait, one slot:
    // the third replay is refused once for room and must be pushed again.
    Gate gate;
    std::mutex bodies_mutex;
    std::vector<std::string> bodies;
    nodes.on_src = [&](const nb_run_t *run) {
        {
            std::lock_guard lock(bodies_mutex);
            bodies.emplace_back(run->event->body, run->event->body_len);
            if (bodies.size() > 1) return NB_OK;
        }
        gate.wait();
        return NB_OK;
    };
    Journaled again(nodes, dir.path, seen, 1);
    std::thread opener([&] {
        gate.wait_arrived(1);
        std::this_thread::sleep_for(milliseconds(1500));
        gate.open();
    });
    CHECK(again.host.replay_pending() == 3);
    opener.join();
    wait_for([&] { return seen.size() == 3; });
    std::lock_guard lock(bodies_mutex);
    CHECK(bodies == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("a delivery id stored within its window is a DUPLICATE, also after a restart") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    const Delivered first("d-1", 60), other("d-2", 60);
    {
        Outcome one, again;
        Journaled j(nodes, dir.path, seen);
        j.submit(&nodes.src, one, first.event());
        CHECK(one.wait()->kind == NB_OUTCOME_ACCEPTED);
        j.submit(&nodes.src, again, first.event());
        CHECK(again.wait()->kind == NB_OUTCOME_DUPLICATE);
    }
    Outcome after_restart, different;
    Journaled j(nodes, dir.path, seen);
    j.submit(&nodes.src, after_restart, first.event());
    CHECK(after_restart.wait()->kind == NB_OUTCOME_DUPLICATE);
    j.submit(&nodes.src, different, other.event());
    CHECK(different.wait()->kind == NB_OUTCOME_ACCEPTED);
    j.host.shutdown();
    CHECK(rows(dir.path) == 2);
}

TEST_CASE("a failed run is retried with backoff, then kept as failed") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    seen.fail = true;
    Outcome outcome;
    Journaled j(nodes, dir.path, seen, 64, 2);
    j.submit(&nodes.src, outcome);
    CHECK(outcome.wait()->kind == NB_OUTCOME_ACCEPTED);
    wait_for([&] { return rows(dir.path, "state = 2") == 1; });
    j.host.shutdown();  // its last log line is written after the row
    REQUIRE(seen.size() == 3);
    for (std::uint32_t i = 0; i < 3; ++i) CHECK(seen.runs[i] == std::make_pair(std::uint64_t{1}, i + 1));
    CHECK(rows(dir.path, "attempts = 3 AND last_error LIKE '%step broke%'") == 1);
    const std::string log = j.log.str();
    CHECK(log.find("retry 1 of 2 in 20 ms") != std::string::npos);
    CHECK(log.find("retry 2 of 2 in 80 ms") != std::string::npos);
    CHECK(log.find("event 1 failed 3 times: kept as failed") != std::string::npos);
}

TEST_CASE("--queue-bytes: beyond it new events are refused until runs start") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    Gate gate;
    stop_at(nodes, gate);
    const std::string body(400, 'x');
    const Delivered big("", 0, body.c_str());
    // One event is about 430 bytes: the running one no longer counts, two wait.
    Outcome later;
    Outcome running, one, two, refused;
    Journaled j(nodes, dir.path, seen, 64, 0, 1000);
    j.submit(&nodes.src, running, big.event());
    CHECK(running.wait()->kind == NB_OUTCOME_ACCEPTED);
    gate.wait_arrived(1);
    j.submit(&nodes.src, one, big.event());
    j.submit(&nodes.src, two, big.event());
    CHECK(one.wait()->kind == NB_OUTCOME_ACCEPTED);
    CHECK(two.wait()->kind == NB_OUTCOME_ACCEPTED);
    j.submit(&nodes.src, refused, big.event());
    REQUIRE(refused.wait());
    CHECK(refused.wait()->kind == NB_OUTCOME_REFUSED);
    CHECK(refused.wait()->refusal == NB_REFUSED_QUEUE_FULL);
    CHECK(refused.wait()->message.find("--queue-bytes") != std::string::npos);
    CHECK(rows(dir.path) == 3);  // refused before anything was stored
    nodes.on_src = nullptr;
    gate.open();
    wait_for([&] { return seen.size() == 3; });
    j.submit(&nodes.src, later, big.event());
    CHECK(later.wait()->kind == NB_OUTCOME_ACCEPTED);
}

TEST_CASE("a stored event refused after all is forgotten: its delivery id is free again") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    Gate gate;
    stop_at(nodes, gate);
    // One worker stuck, one run waiting fills the queue; the third is held
    // for 50 ms, then refused.
    Outcome retried;
    Outcome oa, ob, oc;
    Journaled j(nodes, dir.path, seen, 1, 0, 0, milliseconds(50));
    const Delivered a("a", 60), b("b", 60), c("c", 60);
    j.submit(&nodes.src, oa, a.event());
    gate.wait_arrived(1);
    j.submit(&nodes.src, ob, b.event());
    CHECK(ob.wait()->kind == NB_OUTCOME_ACCEPTED);
    j.submit(&nodes.src, oc, c.event());
    REQUIRE(oc.wait());
    CHECK(oc.wait()->kind == NB_OUTCOME_REFUSED);
    wait_for([&] { return rows(dir.path) == 2; });
    nodes.on_src = nullptr;
    gate.open();
    j.submit(&nodes.src, retried, c.event());
    CHECK(retried.wait()->kind == NB_OUTCOME_ACCEPTED);
}

TEST_CASE("cancel_pending with a journal: every outcome of the node is told before it returns") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    std::vector<Outcome> outcomes(50);
    Journaled j(nodes, dir.path, seen);
    for (Outcome &o : outcomes) j.submit(&nodes.src, o);
    nb::test::async_trigger(j.host).cancel_pending(&j.host.abi(), &nodes.src);
    for (Outcome &o : outcomes) CHECK(o.count() == 1);
}

TEST_CASE("the 1.0 trigger with a journal returns ACCEPTED once the event is stored") {
    TempDir dir;
    AsyncNodes nodes;
    Seen seen;
    Journaled j(nodes, dir.path, seen);
    CHECK(j.host.abi().trigger(&j.host.abi(), &nodes.src, &kPlain.event()) == NB_TRIGGER_ACCEPTED);
    CHECK(rows(dir.path) == 1);
    wait_for([&] { return seen.size() == 1; });
    CHECK(seen.runs[0].first == 1);
}
