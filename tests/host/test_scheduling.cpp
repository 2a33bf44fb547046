#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <new>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scheduling/graph_run.hpp>
#include <scheduling/host.hpp>
#include <scheduling/run_queue.hpp>
#include <scheduling/run_stats.hpp>

#include "helpers.hpp"
#include "source_plugin.hpp"

using namespace nb::host;

namespace {

// A job handler that records each job and holds it until released.
struct HeldJobs {
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false, released = false;
    std::vector<int> ran;

    void run(int job) {
        std::unique_lock lock(mutex);
        ran.push_back(job);
        started = true;
        changed.notify_all();
        changed.wait(lock, [&] { return released; });
    }
    void wait_started() {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return started; });
    }
    void release() {
        {
            std::lock_guard lock(mutex);
            released = true;
        }
        changed.notify_all();
    }
};

// Pushes `job` from a thread of its own while `held` keeps the worker busy,
// then releases it; returns the push's answer.
nb_trigger_result_t push_then_release(RunQueue<int> &queue, HeldJobs &held, int job) {
    std::atomic<nb_trigger_result_t> result{NB_TRIGGER_FAILED};
    std::thread pushing([&] { result = queue.push(job); });
    held.release();
    pushing.join();
    return result;
}

// Two nodes built in the test, src.out -> sink.in, whose execute calls the
// run's callbacks the way a buggy plugin might, NULLs included, and keeps
// what they answered.
struct CarelessNodes {
    static constexpr nb_socket_desc_t out{"out", NB_SOCKET_TEXT, "written by src"};
    static constexpr nb_socket_desc_t in{"in", NB_SOCKET_TEXT, "read by sink"};
    const nb_node_descriptor_t src_desc{NB_VERSION_INIT, "test.careless_src", "", "", "", "1.0.0",
                                        nullptr, 0, nullptr, 0, &out, 1, nullptr, 0,
                                        NB_NODE_EVENT_SOURCE};
    const nb_node_descriptor_t sink_desc{NB_VERSION_INIT, "test.careless_sink", "", "", "", "1.0.0",
                                         nullptr, 0, &in, 1, nullptr, 0, nullptr, 0, 0};
    const NodeType src_type{&src_desc, nullptr};
    const NodeType sink_type{&sink_desc, nullptr};

    const char *written = nullptr;  // what src finally writes, "out" with strlen
    std::vector<nb_status_t> set_output;
    std::vector<bool> get_input;
    std::string read;  // what sink finally reads from "in"
    bool sink_fails = false;  // then sink fails, leaving last_error NULL

    static CarelessNodes &self(const nb_node_t *node) { return *static_cast<CarelessNodes *>(node->node_data); }
    static void destroy(const nb_node_t *) {}
    static const char *last_error(const nb_node_t *node) {
        return self(node).sink_fails ? nullptr : "careless";
    }
    static nb_status_t src_execute(const nb_node_t *node, const nb_run_t *run) {
        auto &t = self(node);
        t.set_output.push_back(run->set_output(run, nullptr, "x", 1));
        t.set_output.push_back(run->set_output(run, "out", nullptr, 3));
        t.set_output.push_back(run->set_output(nullptr, "out", "x", 1));
        t.set_output.push_back(run->set_output(run, "nope", "x", 1));
        t.set_output.push_back(run->set_output(run, "out", nullptr, 0));
        if (t.written) t.set_output.push_back(run->set_output(run, "out", t.written, std::strlen(t.written)));
        return NB_OK;
    }
    static nb_status_t sink_execute(const nb_node_t *node, const nb_run_t *run) {
        auto &t = self(node);
        const char *data = nullptr;
        size_t len = 0;
        t.get_input.push_back(run->get_input(run, nullptr, &data, &len));
        t.get_input.push_back(run->get_input(run, "in", nullptr, &len));
        t.get_input.push_back(run->get_input(run, "in", &data, nullptr));
        t.get_input.push_back(run->get_input(nullptr, "in", &data, &len));
        t.get_input.push_back(run->get_input(run, "nope", &data, &len));
        const bool got = run->get_input(run, "in", &data, &len);
        t.get_input.push_back(got);
        if (got) t.read.assign(data, len);
        return t.sink_fails ? NB_ERR_INTERNAL : NB_OK;
    }

    const nb_node_t src{NB_VERSION_INIT, &src_desc, this, destroy, nullptr, nullptr, nullptr, nullptr,
                        src_execute, last_error, nullptr};
    const nb_node_t sink{NB_VERSION_INIT, &sink_desc, this, destroy, nullptr, nullptr, nullptr, nullptr,
                         sink_execute, last_error, nullptr};

    Workflow workflow() const {
        Workflow wf;
        wf.name = "careless";
        wf.nodes.push_back(WorkflowNode{"src", &src_type, NodeInstance(&src)});
        wf.nodes.push_back(WorkflowNode{"sink", &sink_type, NodeInstance(&sink)});
        wf.edges.push_back(WorkflowEdge{0, "out", 1, "in"});
        wf.runs_from = {{0, 1}, {1}};
        return wf;
    }
};

// Nodes built in the test that record the order they execute in: "src", an
// event source, and steps with two inputs "a" and "b" that they do not need.
// Each writes its id to "out"; the ids in `failing` fail instead, with the
// message "ID failed".
struct RecordingNodes {
    static constexpr nb_socket_desc_t out[] = {{"out", NB_SOCKET_TEXT, "the node's id"}};
    static constexpr nb_socket_desc_t in[] = {{"a", NB_SOCKET_TEXT, "unused"}, {"b", NB_SOCKET_TEXT, "unused"}};
    const nb_node_descriptor_t src_desc{NB_VERSION_INIT, "test.recording_src", "", "", "", "1.0.0",
                                        nullptr, 0, nullptr, 0, out, 1, nullptr, 0,
                                        NB_NODE_EVENT_SOURCE};
    const nb_node_descriptor_t step_desc{NB_VERSION_INIT, "test.recording_step", "", "", "", "1.0.0",
                                         nullptr, 0, in, 2, out, 1, nullptr, 0, 0};
    const NodeType src_type{&src_desc, nullptr};
    const NodeType step_type{&step_desc, nullptr};

    struct Entry {
        RecordingNodes *owner;
        std::string id;
        std::string error;
        nb_node_t node;
    };
    std::deque<Entry> entries;  // stable addresses for node_data
    std::set<std::string> failing;
    std::string executed;  // ids, space-separated

    static void destroy(const nb_node_t *) {}
    static Entry &entry(const nb_node_t *node) { return *static_cast<Entry *>(node->node_data); }
    static const char *last_error(const nb_node_t *node) { return entry(node).error.c_str(); }
    static nb_status_t execute(const nb_node_t *node, const nb_run_t *run) {
        Entry &e = entry(node);
        e.owner->executed += (e.owner->executed.empty() ? "" : " ") + e.id;
        if (e.owner->failing.count(e.id) != 0) return NB_ERR_INTERNAL;
        return run->set_output(run, "out", e.id.data(), e.id.size());
    }

    // `edges` as {from, to, to_socket}; every output is "out". Node "src" is
    // the event source.
    Workflow workflow(const std::vector<std::string> &ids,
                      const std::vector<std::array<std::string, 3>> &edges) {
        Workflow wf;
        wf.name = "recording";
        for (const std::string &id : ids) {
            const nb_node_descriptor_t *desc = id == "src" ? &src_desc : &step_desc;
            Entry &e = entries.emplace_back(Entry{this, id, id + " failed", {}});
            e.node = nb_node_t{NB_VERSION_INIT, desc, &e, destroy, nullptr, nullptr, nullptr, nullptr,
                               execute, last_error, nullptr};
            wf.nodes.push_back(WorkflowNode{id, id == "src" ? &src_type : &step_type, NodeInstance(&e.node)});
        }
        const auto index = [&](const std::string &id) {
            return static_cast<NodeIndex>(std::find(ids.begin(), ids.end(), id) - ids.begin());
        };
        std::vector<Link> links;
        for (const auto &[from, to, socket] : edges) {
            wf.edges.push_back(WorkflowEdge{index(from), "out", index(to), socket});
            links.emplace_back(index(from), index(to));
        }
        const TopologicalOrder order = topological_order(ids, links);
        for (NodeIndex n = 0; n < ids.size(); ++n) wf.runs_from.push_back(downstream(order.order, links, n));
        return wf;
    }
};

}  // namespace

TEST_CASE("the run queue is bounded, drains on close and refuses afterwards") {
    HeldJobs held;
    RunQueue<int> queue(1, QueueLimits{2}, [&](int &job) { held.run(job); });
    REQUIRE(queue.push(1) == NB_TRIGGER_ACCEPTED);
    // The only worker is now busy with job 1: two more fit, the third does not.
    held.wait_started();
    CHECK(queue.push(2) == NB_TRIGGER_ACCEPTED);
    CHECK(queue.push(3) == NB_TRIGGER_ACCEPTED);
    CHECK(queue.push(4) == NB_TRIGGER_QUEUE_FULL);
    held.release();
    queue.close();
    CHECK(held.ran == std::vector<int>{1, 2, 3});
    CHECK(queue.push(5) == NB_TRIGGER_FAILED);
}

TEST_CASE("a push refused for a full queue leaves the job with its caller, to push again") {
    std::promise<void> started, release;
    std::shared_future<void> released = release.get_future().share();
    std::vector<std::string> ran;  // by the one worker only
    RunQueue<std::string> queue(1, QueueLimits{1}, [&](std::string &job) {
        if (ran.empty()) {
            started.set_value();
            released.wait();
        }
        ran.push_back(job);
    });
    REQUIRE(queue.push(std::string("first")) == NB_TRIGGER_ACCEPTED);
    started.get_future().wait();
    REQUIRE(queue.push(std::string("second")) == NB_TRIGGER_ACCEPTED);  // the one slot
    std::string third(64, 'x');  // past the small-string buffer: a move empties it
    CHECK(queue.push(third) == NB_TRIGGER_QUEUE_FULL);
    CHECK(third == std::string(64, 'x'));
    release.set_value();
    queue.close();
    CHECK(ran == std::vector<std::string>{"first", "second"});
}

TEST_CASE("a push into a full queue waits for a slot") {
    HeldJobs held;
    // A wait far longer than the test: only a freed slot ends it.
    RunQueue<int> queue(1, QueueLimits{1, std::chrono::minutes(10)}, [&](int &job) { held.run(job); });
    REQUIRE(queue.push(1) == NB_TRIGGER_ACCEPTED);
    held.wait_started();
    REQUIRE(queue.push(2) == NB_TRIGGER_ACCEPTED);  // the one slot
    CHECK(push_then_release(queue, held, 3) == NB_TRIGGER_ACCEPTED);
    queue.close();
    CHECK(held.ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("a close ends the wait of a push into a full queue") {
    HeldJobs held;
    RunQueue<int> queue(1, QueueLimits{1, std::chrono::minutes(10)}, [&](int &job) { held.run(job); });
    REQUIRE(queue.push(1) == NB_TRIGGER_ACCEPTED);
    REQUIRE(queue.push(2) == NB_TRIGGER_ACCEPTED);
    // The worker holds job 1 until released, so no slot frees: the close,
    // before or during the wait, is what answers this push.
    std::thread closer([&] { queue.close(); });
    CHECK(queue.push(3) == NB_TRIGGER_FAILED);
    held.release();
    closer.join();
}

TEST_CASE("a push into a deep queue is paced, then accepted all the same") {
    HeldJobs held;
    constexpr auto pace = std::chrono::milliseconds(50);
    RunQueue<int> queue(1, QueueLimits{8, {}, 2, pace}, [&](int &job) { held.run(job); });
    REQUIRE(queue.push(1) == NB_TRIGGER_ACCEPTED);
    held.wait_started();
    REQUIRE(queue.push(2) == NB_TRIGGER_ACCEPTED);
    REQUIRE(queue.push(3) == NB_TRIGGER_ACCEPTED);
    // Two wait and the worker holds job 1: nothing can end these waits early.
    for (int job = 4; job <= 6; ++job) {
        const auto start = std::chrono::steady_clock::now();
        CHECK(queue.push(job) == NB_TRIGGER_ACCEPTED);
        CHECK(std::chrono::steady_clock::now() - start >= pace);
    }
    held.release();
    queue.close();
    CHECK(held.ran == std::vector<int>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("a paced push goes on as soon as a worker takes a job") {
    HeldJobs held;
    // A pace far longer than the test: only a job taken ends the wait.
    RunQueue<int> queue(1, QueueLimits{8, {}, 1, std::chrono::minutes(10)},
                        [&](int &job) { held.run(job); });
    REQUIRE(queue.push(1) == NB_TRIGGER_ACCEPTED);
    held.wait_started();
    REQUIRE(queue.push(2) == NB_TRIGGER_ACCEPTED);
    CHECK(push_then_release(queue, held, 3) == NB_TRIGGER_ACCEPTED);
    queue.close();
    CHECK(held.ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("closing runs every accepted job exactly once") {
    constexpr int jobs = 2000;
    std::vector<std::atomic<int>> runs(jobs);
    std::vector<bool> accepted(jobs, false);
    {
        RunQueue<int> queue(3, QueueLimits{64}, [&](int &job) { ++runs[static_cast<size_t>(job)]; });
        for (int i = 0; i < jobs; ++i) accepted[static_cast<size_t>(i)] = queue.push(i) == NB_TRIGGER_ACCEPTED;
        queue.close();
    }
    int accepted_count = 0;
    for (size_t i = 0; i < jobs; ++i) {
        CHECK(runs[i] == (accepted[i] ? 1 : 0));
        accepted_count += accepted[i];
    }
    CHECK(accepted_count >= 64);
}

TEST_CASE("a handler that throws fails its job alone; the workers go on serving") {
    constexpr int jobs = 600;
    std::vector<std::atomic<int>> runs(jobs);
    std::vector<bool> accepted(jobs, false);
    std::mutex mutex;
    std::map<int, std::string> reported;  // job -> what
    {
        RunQueue<int> queue(
            2, QueueLimits{jobs},
            [&](int &job) {
                ++runs[static_cast<size_t>(job)];
                if (job % 3 == 0) throw std::runtime_error("job " + std::to_string(job));
                if (job % 3 == 1 && job % 2 == 0) throw 42;
            },
            [&](int &job, const char *what) {
                std::lock_guard lock(mutex);
                CHECK(reported.emplace(job, what).second);
            });
        for (int i = 0; i < jobs; ++i) accepted[static_cast<size_t>(i)] = queue.push(i) == NB_TRIGGER_ACCEPTED;
        queue.close();  // returns: every worker is joined, none ended by a throw
    }
    for (int i = 0; i < jobs; ++i) {
        CAPTURE(i);
        CHECK(accepted[static_cast<size_t>(i)]);
        CHECK(runs[static_cast<size_t>(i)] == 1);
        const auto it = reported.find(i);
        if (i % 3 == 0) {
            REQUIRE(it != reported.end());
            CHECK(it->second == "job " + std::to_string(i));
        } else if (i % 3 == 1 && i % 2 == 0) {
            REQUIRE(it != reported.end());
            CHECK(it->second == "unknown exception");
        } else {
            CHECK(it == reported.end());
        }
    }
}

TEST_CASE("a throwing handler with no error handler, or a throwing one, is still survived") {
    std::atomic<int> runs{0};
    {
        RunQueue<int> quiet(1, QueueLimits{8}, [&](int &) {
            ++runs;
            throw std::runtime_error("reported on stderr");
        });
        RunQueue<int> loud(
            1, QueueLimits{8},
            [&](int &) {
                ++runs;
                throw std::runtime_error("reported on stderr");
            },
            [](int &, const char *) { throw std::bad_alloc(); });
        for (int i = 0; i < 3; ++i) {
            CHECK(quiet.push(i) == NB_TRIGGER_ACCEPTED);
            CHECK(loud.push(i) == NB_TRIGGER_ACCEPTED);
        }
    }
    CHECK(runs == 6);
}

#ifndef NB_SANITIZED_BUILD  // a sanitizer's allocator treats the limit as fatal
TEST_CASE("a worker thread that cannot start fails the construction, and only that") {
    // In a child, with address space for a few thread stacks only: the queue
    // must throw, having joined the workers it did start, not std::terminate.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::signal(SIGABRT, SIG_DFL);  // a std::terminate is the parent's to report
        int code = 3;
        try {
            std::ifstream status("/proc/self/status");
            std::string line;
            unsigned long vm_kb = 0;
            while (std::getline(status, line))
                if (line.rfind("VmSize:", 0) == 0) vm_kb = std::stoul(line.substr(7));
            const rlim_t limit = (vm_kb + 64 * 1024) * 1024;
            const rlimit as{limit, limit};
            if (vm_kb == 0 || ::setrlimit(RLIMIT_AS, &as) != 0) ::_exit(4);
            std::atomic<int> runs{0};
            RunQueue<int> queue(1000, QueueLimits{}, [&](int &) { ++runs; });
            code = 2;  // every thread started: the limit did not bite
        } catch (const std::system_error &) {
            code = 0;
        } catch (...) {
            code = 1;
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK_MESSAGE(WIFEXITED(status), "ended by signal " << WTERMSIG(status));
    CHECK(WEXITSTATUS(status) == 0);
}
#endif

TEST_CASE("NULL arguments from a plugin to get_input and set_output are refused, not followed") {
    CarelessNodes nodes;
    const Workflow wf = nodes.workflow();
    const nb_event_t event{NB_VERSION_INIT, "POST", "/", "", 0, "{}", 2, "{}", 2, "", nullptr};

    SUBCASE("a value written after the refused calls is the one read") {
        nodes.written = "hello";
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(outcome.ok);
        CHECK(nodes.set_output == std::vector<nb_status_t>{NB_ERR_INVALID, NB_ERR_INVALID, NB_ERR_INVALID,
                                                           NB_ERR_UNKNOWN, NB_OK, NB_OK});
        CHECK(nodes.get_input == std::vector<bool>{false, false, false, false, false, true});
        CHECK(nodes.read == "hello");
    }
    SUBCASE("NULL data of length 0 is an empty value") {
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(outcome.ok);
        CHECK(nodes.set_output == std::vector<nb_status_t>{NB_ERR_INVALID, NB_ERR_INVALID, NB_ERR_INVALID,
                                                           NB_ERR_UNKNOWN, NB_OK});
        CHECK(nodes.get_input == std::vector<bool>{false, false, false, false, false, true});
        CHECK(nodes.read.empty());
    }
}

TEST_CASE("a node failing with a NULL last_error fails the run as itself, with a message") {
    CarelessNodes nodes;
    nodes.sink_fails = true;
    const Workflow wf = nodes.workflow();
    const nb_event_t event{NB_VERSION_INIT, "POST", "/", "", 0, "{}", 2, "{}", 2, "", nullptr};
    const RunOutcome outcome = execute_run(wf, 0, &event, 1);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.failed_node == 1);  // sink, not the source
    CHECK(outcome.message == "execute failed without a message");
}

TEST_CASE("a failing node skips the nodes that depend on it; independent branches still run") {
    // src feeds left and right; join reads both, after reads join; tail reads right.
    RecordingNodes nodes;
    const Workflow wf = nodes.workflow(
        {"src", "left", "right", "join", "after", "tail"},
        {{"src", "left", "a"}, {"src", "right", "a"}, {"left", "join", "a"}, {"right", "join", "b"},
         {"join", "after", "a"}, {"right", "tail", "a"}});
    const nb_event_t event{NB_VERSION_INIT, "POST", "/", "", 0, "{}", 2, "{}", 2, "", nullptr};
    // Order by id: src, left, right, join, after, tail.
    REQUIRE(wf.runs_from[0] == std::vector<NodeIndex>{0, 1, 2, 3, 4, 5});

    SUBCASE("one branch fails: what depends on it, even through another node, is skipped") {
        nodes.failing = {"left"};
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(nodes.executed == "src left right tail");
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.failed_node == 1);
        CHECK(outcome.message == "left failed");
        CHECK(outcome.failed_count == 1);
        CHECK(outcome.skipped == 2);  // join, after
    }
    SUBCASE("both branches fail: the run names the first in run order") {
        nodes.failing = {"right", "left"};
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(nodes.executed == "src left right");
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.failed_node == 1);
        CHECK(outcome.message == "left failed");
        CHECK(outcome.failed_count == 2);
        CHECK(outcome.skipped == 3);  // join, after, tail
    }
    SUBCASE("the source fails: every other node of the run depends on it") {
        nodes.failing = {"src"};
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(nodes.executed == "src");
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.failed_node == 0);
        CHECK(outcome.message == "src failed");
        CHECK(outcome.failed_count == 1);
        CHECK(outcome.skipped == 5);
    }
    SUBCASE("nothing fails: every node runs once, in order") {
        const RunOutcome outcome = execute_run(wf, 0, &event, 1);
        CHECK(outcome.ok);
        CHECK(nodes.executed == "src left right join after tail");
        CHECK(outcome.failed_count == 0);
        CHECK(outcome.skipped == 0);
    }
}

TEST_CASE("a failed run is logged in one line naming its first failed node, counting the rest") {
    RecordingNodes nodes;
    nodes.failing = {"left", "right"};
    std::ostringstream log;
    Host host(log);
    host.start_runs(nodes.workflow({"src", "left", "right", "join", "after", "tail"},
                                   {{"src", "left", "a"}, {"src", "right", "a"}, {"left", "join", "a"},
                                    {"right", "join", "b"}, {"join", "after", "a"}, {"right", "tail", "a"}}),
                    1, 16);
    const nb_event_t event{NB_VERSION_INIT, "POST", "/", "", 0, "{}", 2, "{}", 2, "", nullptr};
    CHECK(host.abi().trigger(&host.abi(), &nodes.entries[0].node, &event) == NB_TRIGGER_ACCEPTED);
    host.shutdown();
    CHECK(log.str() ==
          "nb-host: error: [node left] run 1 failed: left failed (1 more node failed, 3 dependent nodes skipped)\n");
}

TEST_CASE("a failing node fails its run alone; the host keeps serving and logs run and node") {
    nb::test::TempDir dir;
    const auto sink = dir / "sink.txt";
    PluginSet plugins;
    std::ostringstream warnings, log;
    nb::test::load_test_plugins_and_source(plugins, warnings);
    Host host(log);
    const std::string json = R"({"nodes": [
        {"id": "src", "type": "test.source"},
        {"id": "get", "type": "basic.json_get", "widgets": {"pointer": "/x"}},
        {"id": "out", "type": "basic.file_append", "widgets": {"file": ")" + sink.string() + R"("}}],
      "edges": [{"from": "src.received_data", "to": "get.json"}, {"from": "get.value", "to": "out.text"}]})";
    host.start_runs(build_workflow(parse_workflow(json, "wf.json"), plugins, host.abi()), 1, 16);
    host.listen();
    const nb_node_t *src = host.workflow().nodes[0].instance.get();
    const auto trigger = [&](const std::string &body) {
        const nb_event_t event{NB_VERSION_INIT, "POST", "/", body.data(), body.size(), "{}", 2, "{}", 2, "", nullptr};
        return host.abi().trigger(&host.abi(), src, &event);
    };
    CHECK(trigger(R"({"x": "first"})") == NB_TRIGGER_ACCEPTED);
    CHECK(trigger("not json") == NB_TRIGGER_ACCEPTED);
    CHECK(trigger(R"({"x": "third"})") == NB_TRIGGER_ACCEPTED);
    // A node that is not part of the workflow cannot start runs.
    const nb_node_t stranger{};
    const nb_event_t event{NB_VERSION_INIT, "POST", "/", "", 0, "{}", 2, "{}", 2, "", nullptr};
    CHECK(host.abi().trigger(&host.abi(), &stranger, &event) == NB_TRIGGER_FAILED);
    host.shutdown();
    CHECK(host.abi().trigger(&host.abi(), src, &event) == NB_TRIGGER_FAILED);
    CHECK(nb::test::read_file(sink) == "first\nthird\n");
    const std::string logged = log.str();
    CAPTURE(logged);
    const auto line = logged.find("nb-host: error: [node get] run 2 failed: input \"json\" is not valid JSON");
    REQUIRE(line != std::string::npos);
    // out depends on get: it is skipped, and the line says so.
    CHECK(logged.substr(line, logged.find('\n', line) - line).find(" (1 dependent node skipped)") !=
          std::string::npos);
}

namespace {

// nb-host's plugins, test.source and the misbehaving nodes of
// tests/host/fixtures/faulty_plugin.cpp, a workflow of them started on one
// worker, and its log. The host goes first, its nodes before their plugins.
struct FaultyRuns {
    PluginSet plugins;
    std::ostringstream log;
    Host host{log};

    explicit FaultyRuns(const std::string &json) {
        std::ostringstream warnings;
        nb::test::load_test_plugins_and_source(plugins, warnings);
        plugins.load_file(std::filesystem::path(TEST_FIXTURE_DIR) / "test_faulty.so", warnings);
        host.start_runs(build_workflow(parse_workflow(json, "wf.json"), plugins, host.abi()), 1, 16);
        host.listen();
    }
    nb_trigger_result_t trigger(const std::string &body) {
        const nb_event_t event{NB_VERSION_INIT, "POST", "/", body.data(), body.size(), "{}", 2, "{}", 2, "", nullptr};
        return host.abi().trigger(&host.abi(), host.workflow().nodes[0].instance.get(), &event);
    }
};

}  // namespace

TEST_CASE("a node that returns OK without writing an output an edge reads fails its own run, naming the output") {
    FaultyRuns runs(R"({"nodes": [{"id": "src", "type": "test.source"}, {"id": "quiet", "type": "test.silent"},
                                  {"id": "show", "type": "basic.log"}],
                        "edges": [{"from": "src.received_data", "to": "quiet.in"},
                                  {"from": "quiet.out", "to": "show.text"}]})");
    CHECK(runs.trigger("x") == NB_TRIGGER_ACCEPTED);
    runs.host.shutdown();
    CHECK(runs.log.str() == "nb-host: error: [node quiet] run 1 failed: node \"quiet\" (test.silent) wrote no value "
                            "to output \"out\" (1 dependent node skipped)\n");
}

TEST_CASE("a C++ exception out of a plugin's execute fails that node's run as a plugin bug; the host keeps serving") {
    nb::test::TempDir dir;
    const auto sink = dir / "sink.txt";
    FaultyRuns runs(R"({"nodes": [{"id": "src", "type": "test.source"}, {"id": "boom", "type": "test.thrower"},
                                  {"id": "out", "type": "basic.file_append", "widgets": {"file": ")" +
                    sink.string() + R"("}}],
                        "edges": [{"from": "src.received_data", "to": "boom.in"},
                                  {"from": "src.received_data", "to": "out.text"}]})");
    CHECK(runs.trigger("first") == NB_TRIGGER_ACCEPTED);
    CHECK(runs.trigger("second") == NB_TRIGGER_ACCEPTED);
    runs.host.shutdown();
    // Blamed on the node that threw, not on src as a host error; the branch
    // that does not depend on it still ran, both times.
    const std::string bug = " failed: node \"boom\" (test.thrower) threw a C++ exception out of execute "
                            "(a plugin bug): boom\n";
    CHECK(runs.log.str() == "nb-host: error: [node boom] run 1" + bug + "nb-host: error: [node boom] run 2" + bug);
    CHECK(nb::test::read_file(sink) == "first\nsecond\n");
}

TEST_CASE("run stats count runs and failures and report percentiles within a bucket") {
    RunStats stats;
    CHECK(stats.summary() == "runs 0 (0 failed)");
    using std::chrono::microseconds;
    for (int i = 0; i < 98; ++i) stats.record(microseconds(1000), true);   // 1 ms
    stats.record(microseconds(50000), false);                             // 50 ms
    stats.record(microseconds(200000), true);                             // 200 ms
    const std::string s = stats.summary();
    CAPTURE(s);
    CHECK(s.rfind("runs 100 (1 failed); accepted to finished: p50 ", 0) == 0);
    // Buckets are about 9% apart: 1 ms reads as 0.9-1.1 ms.
    const auto value_after = [&](const std::string &label) {
        return std::stod(s.substr(s.find(label) + label.size()));
    };
    CHECK(value_after("p50 ") == doctest::Approx(1.0).epsilon(0.1));
    CHECK(value_after("p90 ") == doctest::Approx(1.0).epsilon(0.1));
    CHECK(value_after("p99 ") == doctest::Approx(50.0).epsilon(0.1));
    CHECK(value_after("max ") == doctest::Approx(200.0).epsilon(0.001));
}
