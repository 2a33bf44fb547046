// Stopping `nb-host run` (docs/nb-host.md, "Shutdown"): an idle host exits at
// once; a first SIGINT or SIGTERM drains, running every accepted event; a
// second one during the drain exits at once, saying what it left unfinished
// and what becomes of it. A run that never returns is a file_append into a
// FIFO nobody reads.
#include <doctest/doctest.h>

#include <csignal>

#include <cli/stop_lines.hpp>
#include <net_helpers.hpp>

#include "fifo.hpp"
#include "helpers.hpp"
#include "process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A hang must fail, however slow the build: not a measure of speed.
#ifdef NB_SANITIZED_BUILD
constexpr auto kPromptly = 20s;
#else
constexpr auto kPromptly = 5s;
#endif

// webhook /in -> file_append(text) onto `sink`.
std::string sink_workflow(uint16_t port, const fs::path &sink) {
    return R"({"name": "stop", "nodes": [
        {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(port) + R"(, "path": "/in"}},
        {"id": "sink", "type": "basic.file_append", "widgets": {"file": ")" + sink.string() + R"(", "format": "text"}}],
      "edges": [{"from": "hook.received_data", "to": "sink.text"}]})";
}

std::string wait_listening(nb::test::NbHost &host) {
    std::string line = host.read_line();
    while (!line.empty() && line.rfind("listening:", 0) != 0) line = host.read_line();
    return line;
}

// POSTs event-1 to event-3, each answered 200, and waits until run 1 is
// blocked in the sink: then events 2 and 3 wait behind it (--workers 1).
void block_three(nb::test::NbHost &host, uint16_t port) {
    REQUIRE(!wait_listening(host).empty());
    for (int i = 1; i <= 3; ++i) {
        nb::test::HttpRequest request;
        request.target = "/in";
        request.body = "event-" + std::to_string(i);
        REQUIRE(nb::test::http_request(port, request).status == 200);
    }
    REQUIRE(nb::test::eventually([&] { return nb::test::blocked_opening_fifo(host.pid()); }, 10s));
}

// The first signal: the drain begins, says what it waits for, and waits.
void begin_drain(nb::test::NbHost &host, int signal) {
    host.signal(signal);
    CHECK(host.read_error_line() ==
          "nb-host: info: stopping: waiting for 3 accepted events to finish; SIGINT or SIGTERM again exits at once");
    CHECK_FALSE(host.wait_for_exit(300ms).has_value());
}

struct Signal {
    int number;
    std::string name;
};

// Both stop signals, one per subcase.
Signal either_signal() {
    Signal chosen{SIGINT, "SIGINT"};
    SUBCASE("SIGINT") {}
    SUBCASE("SIGTERM") { chosen = {SIGTERM, "SIGTERM"}; }
    return chosen;
}

// `signal` twice with run 1 blocked: the drain begins, then the exit comes at
// once. What it said on stderr, besides the line of the first.
std::string stop_twice(nb::test::NbHost &host, const Signal &signal) {
    begin_drain(host, signal.number);
    host.signal(signal.number);
    CHECK(host.wait_for_exit(kPromptly) == 128 + signal.number);
    return host.all_stderr();
}

// What stop_twice hears, ending with `fate`.
std::string forced_stop_lines(const Signal &signal, const std::string &fate) {
    return "nb-host: warning: " + signal.name + " again: exiting at once with 3 accepted events unfinished\n"
           "nb-host: warning: still executing: node \"sink\" (basic.file_append) in run 1\n" + fate + "\n";
}

// A workflow in a folder of its own whose sink is a FIFO nobody reads.
struct Blocking {
    nb::test::TempDir dir;
    uint16_t port = nb::test::free_port();
    nb::test::Fifo fifo{dir / "blocked.fifo"};
    fs::path journal = dir / "stop.journal";

    Blocking() { nb::test::write_file(dir / "wf.json", sink_workflow(port, fifo.path())); }
    // nb-host run with one worker, and `journal` ("off" or a path).
    std::vector<std::string> args(const std::string &journal_option) const {
        return {"run", (dir / "wf.json").string(), "--journal", journal_option, "--workers", "1"};
    }
};

}  // namespace

TEST_CASE("an idle nb-host run exits 0 promptly on the first SIGINT or SIGTERM, saying nothing") {
    const Blocking setup;
    const Signal signal = either_signal();
    CAPTURE(signal.name);
    nb::test::NbHost host(setup.args(setup.journal.string()));
    REQUIRE(!wait_listening(host).empty());
    host.signal(signal.number);
    CHECK(host.wait_for_exit(kPromptly) == 0);
    CHECK(host.all_stderr() == "");
}

TEST_CASE("a first SIGINT waits for a run that blocks; once it returns every accepted event runs, exit 0") {
    Blocking setup;
    nb::test::NbHost host(setup.args("off"));
    block_three(host, setup.port);
    begin_drain(host, SIGINT);
    CHECK(setup.fifo.drain(3, 10s) == "event-1\nevent-2\nevent-3\n");
    CHECK(host.wait_for_exit(10s) == 0);
    CHECK(host.all_stderr() == "");
}

TEST_CASE("--journal off: a second signal during the drain exits at once, naming the run blocked; the rest is lost") {
    const Blocking setup;
    const Signal signal = either_signal();
    CAPTURE(signal.name);
    nb::test::NbHost host(setup.args("off"));
    block_three(host, setup.port);
    CHECK(stop_twice(host, signal) ==
          forced_stop_lines(signal, "nb-host: error: they are lost: with --journal off, accepted events are kept in "
                                    "memory only"));
}

TEST_CASE("with a journal: a second signal during the drain exits at once; the next start runs what was left") {
    Blocking setup;
    const Signal signal = either_signal();
    CAPTURE(signal.name);
    const auto args = setup.args(setup.journal.string());
    {
        nb::test::NbHost host(args);
        block_three(host, setup.port);
        CHECK(stop_twice(host, signal) ==
              forced_stop_lines(signal, "nb-host: warning: the journal " + setup.journal.string() +
                                            " keeps them: they run at the next start"));
    }
    nb::test::NbHost restarted(args);
    CHECK(restarted.read_error_line() == "journal: replaying 3 accepted events from " + setup.journal.string());
    CHECK(setup.fifo.drain(3, 10s) == "event-1\nevent-2\nevent-3\n");
    REQUIRE(!wait_listening(restarted).empty());
    restarted.signal(SIGTERM);
    CHECK(restarted.wait_for_exit(10s) == 0);
}

TEST_CASE("a forced stop's lines: one event, none left, another signal, and queue mode") {
    using nb::host::KeptBy;
    using nb::host::StopLine;
    const auto texts = [](const std::vector<StopLine> &lines) {
        std::vector<std::string> all;
        for (const StopLine &line : lines) all.push_back(line.text);
        return all;
    };
    const std::vector<nb::host::Unfinished::Executing> none;
    CHECK(texts(nb::host::forced_stop_lines(SIGTERM, 1, none, {KeptBy::Kind::journal, "/j"})) ==
          std::vector<std::string>{"SIGTERM again: exiting at once with 1 accepted event unfinished",
                                   "the journal /j keeps it: it runs at the next start"});
    CHECK(texts(nb::host::forced_stop_lines(SIGINT, 1, none, {})) ==
          std::vector<std::string>{"SIGINT again: exiting at once with 1 accepted event unfinished",
                                   "it is lost: with --journal off, accepted events are kept in memory only"});
    CHECK(texts(nb::host::forced_stop_lines(SIGINT, 1, none, {KeptBy::Kind::broker, "30s"})).back() ==
          "it stays pending in Redis: a worker takes it over after --claim-after (30s)");
    CHECK(texts(nb::host::forced_stop_lines(SIGHUP, 0, none, {})) ==
          std::vector<std::string>{"signal " + std::to_string(SIGHUP) +
                                   " again: exiting at once; every accepted event had finished"});
    const std::vector<nb::host::Unfinished::Executing> two{{4, "a", "basic.log"}, {7, "b", "basic.file_append"}};
    const auto lines = nb::host::forced_stop_lines(SIGINT, 5, two, {});
    REQUIRE(lines.size() == 4);
    CHECK(lines[1].text == "still executing: node \"a\" (basic.log) in run 4");
    CHECK(lines[2].text == "still executing: node \"b\" (basic.file_append) in run 7");
    CHECK(lines[0].level == NB_LOG_WARN);
    CHECK(lines[3].level == NB_LOG_ERROR);
    CHECK(nb::host::draining_line(0) == "");
    CHECK(nb::host::draining_line(1) ==
          "stopping: waiting for 1 accepted event to finish; SIGINT or SIGTERM again exits at once");
}
