// nb-host run with a journal (--journal), driven over HTTP like a user would:
// dedupe across restarts, the size and queue limits, refused journal files,
// retries and `nb-host journal`, the default journal path.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <net_helpers.hpp>

#include "fifo.hpp"
#include "helpers.hpp"
#include "process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nb::test::eventually;
using nb::test::Fifo;

namespace {

struct Hook {
    uint16_t port;
    std::string extra_widgets;  // e.g. R"(, "dedupe_window_s": 3600)"
};

// webhook /in -> file_append(`format`) onto `sink`.
std::string sink_workflow(const std::string &name, const Hook &hook, const fs::path &sink,
                          const std::string &format = "json") {
    return R"({"name": ")" + name + R"(", "nodes": [
        {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(hook.port) +
           R"(, "path": "/in")" + hook.extra_widgets + R"(}},
        {"id": "sink", "type": "basic.file_append", "widgets": {"file": ")" + sink.string() +
           R"(", "format": ")" + format + R"("}}],
      "edges": [{"from": "hook.received_data", "to": "sink.text"}]})";
}

nb::test::HttpRequest post(const std::string &body, const std::string &delivery_id = "") {
    nb::test::HttpRequest request;
    request.target = "/in";
    request.body = body;
    if (!delivery_id.empty()) request.headers.emplace_back("X-GitHub-Delivery", delivery_id);
    return request;
}

// Reads stdout up to the first "listening:" line; the lines before it (a
// replay notice) are returned with it.
std::string wait_listening(nb::test::NbHost &host) {
    std::string seen;
    for (std::string line = host.read_line(); !line.empty(); line = host.read_line()) {
        seen += line + "\n";
        if (line.rfind("listening:", 0) == 0) return seen;
    }
    FAIL("nb-host ended before listening: " << seen << host.all_stderr());
    return seen;
}

// One value of `sql` (first row, first column) read from the journal, as text
// ("" for no row): the test reads the file itself rather than trusting nb-host.
std::string query(const fs::path &journal, const std::string &sql) {
    sqlite3 *db = nullptr;
    sqlite3_stmt *stmt = nullptr;
    std::string value;
    int rc = sqlite3_open_v2(journal.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    }
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
        value = reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0));
    }
    CHECK_MESSAGE((rc == SQLITE_ROW || rc == SQLITE_DONE), journal << ": " << sql << ": " << sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

// nb-host run to its exit: its code and output, or -1 if it still ran after
// 20 s (then killed, so a host that wrongly starts cannot hang the test).
nb::test::Finished run_bounded(const std::vector<std::string> &args) {
    nb::test::NbHost host(args);
    auto code = host.wait_for_exit(20s);
    if (!code) {
        host.signal(SIGKILL);
        host.wait_for_exit(5s);
    }
    std::string out = host.rest_of_stdout();
    return {code.value_or(-1), std::move(out), host.all_stderr()};
}

std::map<std::string, int> count_lines(const std::string &text) {
    std::map<std::string, int> seen;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) ++seen[line];
    return seen;
}

// A body of exactly `size` bytes that starts with `tag` and holds no newline.
std::string padded(const std::string &tag, std::size_t size) {
    return tag + std::string(size - tag.size(), 'x');
}

// POSTs bodies of `size` bytes tagged `tag-N-` until one is refused (at most
// `most`): those answered 200, in order, and the first refusal.
std::pair<std::vector<std::string>, nb::test::HttpReply> post_until_refused(uint16_t port, const std::string &tag,
                                                                           std::size_t size, int most) {
    std::vector<std::string> accepted;
    nb::test::HttpReply refused;
    for (int i = 0; i < most && refused.status == 0; ++i) {
        const std::string body = padded(tag + "-" + std::to_string(i) + "-", size);
        const auto reply = nb::test::http_request(port, post(body));
        if (reply.status == 200) {
            accepted.push_back(body);
        } else {
            refused = reply;
        }
    }
    return {accepted, refused};
}

void check_refusal_503(const nb::test::HttpReply &reply) {
    CHECK(reply.status == 503);
    CHECK(reply.header("retry-after") == "1");
    CHECK(reply.body.rfind(R"({"status":"error","error":")", 0) == 0);
}

}  // namespace

TEST_CASE("a delivery id accepted before a restart is still a duplicate after it: one run") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto sink = dir / "sink.txt";
    const auto journal = dir / "state" / "events.journal";
    nb::test::write_file(dir / "wf.json",
                         sink_workflow("dedupe", {port, R"(, "dedupe_window_s": 3600)"}, sink));
    const std::vector<std::string> args{"run", (dir / "wf.json").string(), "--journal", journal.string()};
    {
        nb::test::NbHost host(args);
        wait_listening(host);
        const auto first = nb::test::http_request(port, post("once", "delivery-1"));
        CHECK(first.status == 200);
        CHECK(first.body == R"({"status":"ok"})");
        const auto again = nb::test::http_request(port, post("once", "delivery-1"));
        CHECK(again.status == 200);
        CHECK(again.body == R"({"status":"ok","duplicate":true})");
        host.signal(SIGTERM);
        CHECK(host.wait_for_exit(10s) == 0);
    }
    // The node's own memory of ids is gone with the process; only the journal remembers.
    nb::test::NbHost host(args);
    wait_listening(host);
    const auto after_restart = nb::test::http_request(port, post("once", "delivery-1"));
    CHECK(after_restart.status == 200);
    CHECK(after_restart.body == R"({"status":"ok","duplicate":true})");
    // Another id still runs: the restarted host is not refusing everything.
    CHECK(nb::test::http_request(port, post("other", "delivery-2")).body == R"({"status":"ok"})");
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
    CHECK(nb::test::read_file(sink) == "\"once\"\n\"other\"\n");
}

TEST_CASE("--journal-max: finished events are pruned so the file stays bounded and 200s go on") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto journal = dir / "events.journal";
    nb::test::write_file(dir / "wf.json", sink_workflow("pruned", {port, ""}, dir / "sink.txt", "text"));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", journal.string(),
                           "--journal-max", "64KiB"});
    wait_listening(host);
    // 64 bodies of 8 KiB: 512 KiB, eight times the limit, each run finishing
    // before the next is sent.
    constexpr int kEvents = 64;
    for (int i = 0; i < kEvents; ++i) {
        CAPTURE(i);
        REQUIRE(nb::test::http_request(port, post(padded("event-" + std::to_string(i) + "-", 8192))).status == 200);
        REQUIRE(eventually([&] { return nb::test::read_file(dir / "sink.txt").size() == (i + 1) * 8193u; }, 5s));
    }
    host.signal(SIGTERM);
    REQUIRE(host.wait_for_exit(10s) == 0);
    // The oldest events were pruned...
    const std::string kept = query(journal, "SELECT count(*) FROM events");
    CAPTURE(kept);
    CHECK(!kept.empty());
    CHECK(std::stoi(kept) < kEvents);
    // ...and the database never grew far past the limit. Freed pages are
    // reused, so its page count is its high-water mark; 2 x 64 KiB leaves room
    // for a batch committed before its prune and for the schema's pages,
    // against 512 KiB had nothing been pruned.
    const std::string bytes = query(journal, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
    CAPTURE(bytes);
    REQUIRE(!bytes.empty());
    CHECK(std::stoll(bytes) <= 2 * 64 * 1024);
}

TEST_CASE("--journal-max: pending events alone fill it -> 503 with Retry-After; nothing answered 200 is lost") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    Fifo fifo(dir / "blocked.fifo");
    nb::test::write_file(dir / "wf.json", sink_workflow("full", {port, ""}, fifo.path(), "text"));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", (dir / "events.journal").string(),
                           "--journal-max", "64KiB", "--workers", "1"});
    wait_listening(host);
    // At most 40 bodies of 8 KiB (320 KiB): the 64 KiB journal is full long before.
    const auto [accepted, refused] = post_until_refused(port, "pending", 8192, 40);
    CAPTURE(accepted.size());
    check_refusal_503(refused);
    CHECK(!accepted.empty());
    CHECK(accepted.size() <= 8u);  // 8 x 8 KiB fill 64 KiB

    // The blocked run goes on once the FIFO is read: every 200 runs.
    const auto seen = count_lines(fifo.drain(accepted.size(), 10s));
    for (const auto &body : accepted) CHECK(seen.count(body) == 1);
    CHECK(seen.size() == accepted.size());
    // With nothing pending the journal takes events again (finished ones are pruned).
    CHECK(eventually([&] { return nb::test::http_request(port, post("after")).status == 200; }, 3s));
    CHECK(count_lines(fifo.drain(accepted.size() + 1, 5s)).count("after") == 1);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
}

TEST_CASE("--queue-bytes: events waiting beyond it are refused 503 with a JSON error") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    Fifo fifo(dir / "blocked.fifo");
    nb::test::write_file(dir / "wf.json", sink_workflow("bytes", {port, ""}, fifo.path(), "text"));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", (dir / "events.journal").string(),
                           "--queue-bytes", "4KiB", "--workers", "1"});
    wait_listening(host);
    // Bodies of 1 KiB: the one run blocked on the FIFO, then about four
    // waiting, then refusals.
    const auto [accepted, refused] = post_until_refused(port, "queued", 1024, 20);
    CAPTURE(accepted.size());
    check_refusal_503(refused);
    CHECK(accepted.size() >= 2u);  // the blocked one and at least one waiting
    CHECK(accepted.size() <= 6u);  // 4 KiB of 1 KiB bodies, the running one and one at the edge
    const auto seen = count_lines(fifo.drain(accepted.size(), 10s));
    for (const auto &body : accepted) CHECK(seen.count(body) == 1);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
}

TEST_CASE("a journal folder that cannot be created: exit 1 naming it") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "wf.json", sink_workflow("nofolder", {nb::test::free_port(), ""}, dir / "sink.txt"));
    nb::test::write_file(dir / "plain-file", "not a folder\n");
    const auto folder = dir / "plain-file" / "state";
    const auto result = run_bounded(
        {"run", (dir / "wf.json").string(), "--journal", (folder / "events.journal").string()});
    CAPTURE(result.err);
    CHECK(result.code == 1);
    CHECK(result.err.find(folder.string()) != std::string::npos);
    CHECK(nb::test::read_file(dir / "plain-file") == "not a folder\n");
}

TEST_CASE("a file that is not a journal is refused, named, and left as it was") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "wf.json", sink_workflow("notjournal", {nb::test::free_port(), ""}, dir / "sink.txt"));

    SUBCASE("a text file") {
        nb::test::write_file(dir / "notes.journal", "these are my notes, not events\n");
    }
    SUBCASE("another program's SQLite database") {
        sqlite3 *db = nullptr;
        REQUIRE(sqlite3_open((dir / "notes.journal").c_str(), &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');",
                           nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const std::string before = nb::test::read_file(dir / "notes.journal");
    const auto result = run_bounded(
        {"run", (dir / "wf.json").string(), "--journal", (dir / "notes.journal").string()});
    CAPTURE(result.err);
    CHECK(result.code == 1);
    CHECK(result.err.find((dir / "notes.journal").string()) != std::string::npos);
    CHECK(result.err.find("not an nb-host journal") != std::string::npos);
    CHECK(nb::test::read_file(dir / "notes.journal") == before);
    CHECK(result.out.find("listening:") == std::string::npos);
}

TEST_CASE("a second nb-host on a journal in use is refused, naming the file and the holder's pid") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto journal = dir / "events.journal";
    nb::test::write_file(dir / "wf.json", sink_workflow("first", {port, ""}, dir / "sink.txt"));
    // Another port, so that only the journal can be what is in use.
    nb::test::write_file(dir / "wf2.json", sink_workflow("second", {nb::test::free_port(), ""}, dir / "sink2.txt"));
    nb::test::NbHost first({"run", (dir / "wf.json").string(), "--journal", journal.string()});
    wait_listening(first);

    const auto second = run_bounded({"run", (dir / "wf2.json").string(), "--journal", journal.string()});
    CAPTURE(second.err);
    CHECK(second.code == 1);
    CHECK(second.err.find(journal.string()) != std::string::npos);
    CHECK(second.err.find("in use by nb-host pid " + std::to_string(first.pid())) != std::string::npos);

    // The first host is unharmed.
    CHECK(nb::test::http_request(port, post("still here")).status == 200);
    first.signal(SIGTERM);
    CHECK(first.wait_for_exit(10s) == 0);
    CHECK(nb::test::read_file(dir / "sink.txt") == "\"still here\"\n");
}

TEST_CASE("--retries: a failing run is retried, then kept failed; `journal replay` runs it again") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto journal = dir / "events.journal";
    // The sink's folder does not exist yet: every run fails opening it.
    const auto sink = dir / "later" / "sink.txt";
    nb::test::write_file(dir / "wf.json", sink_workflow("retried", {port, ""}, sink));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", journal.string(), "--retries", "2",
                           "--retry-delay", "50ms", "--journal-poll", "200ms"});
    wait_listening(host);
    REQUIRE(nb::test::http_request(port, post("retry me")).status == 200);

    // Three attempts 50 ms apart, then failed (state 2) with its attempts counted.
    const std::string failed = "SELECT id FROM events WHERE state = 2 AND attempts = 3";
    REQUIRE(eventually([&] { return !query(journal, failed).empty(); }, 5s));
    const std::string id = query(journal, failed);
    CHECK(query(journal, "SELECT last_error FROM events WHERE id = " + id).find("cannot open") != std::string::npos);

    const auto listed = run_bounded({"journal", "list", "--journal", journal.string(), "--failed"});
    CAPTURE(listed.out);
    CAPTURE(listed.err);
    CHECK(listed.code == 0);
    // One tab-separated line per event: ID first, then its state among the fields.
    CHECK(listed.out.rfind(id + "\t", 0) == 0);
    CHECK(listed.out.find("\tfailed\t") != std::string::npos);
    CHECK(count_lines(listed.out).size() == 1);

    // Fixed: the folder exists now. The running host picks the replay up
    // within its 200 ms poll (5 s allows for a loaded machine).
    fs::create_directories(sink.parent_path());
    const auto replayed = run_bounded({"journal", "replay", id, "--journal", journal.string()});
    CAPTURE(replayed.err);
    CHECK(replayed.code == 0);
    CHECK(eventually([&] { return nb::test::read_file(sink) == "\"retry me\"\n"; }, 5s));
    CHECK(eventually([&] { return query(journal, "SELECT state FROM events WHERE id = " + id) == "1"; }, 5s));

    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
    // The log: the first run and two retries failed, each naming the node;
    // then it was kept failed; none failed after the fix.
    const std::string err = host.all_stderr();
    CAPTURE(err);
    CHECK(err.find("retry 1 of 2") != std::string::npos);
    CHECK(err.find("retry 2 of 2") < err.find("kept as failed"));
    CHECK(err.find("kept as failed") != std::string::npos);
    std::size_t failures = 0;
    for (const auto &[line, count] : count_lines(err)) {
        if (line.find("[node sink]") != std::string::npos && line.find("cannot open") != std::string::npos) {
            failures += count;
        }
    }
    CHECK(failures == 3);
}

TEST_CASE("default journal: $XDG_STATE_HOME/nb-host/NAME.journal, mode 0600; --journal off writes none") {
    nb::test::TempDir dir;
    const auto state = dir / "state";
    fs::create_directories(state);
    const uint16_t port = nb::test::free_port();
    nb::test::write_file(dir / "wf.json", sink_workflow("default-path", {port, ""}, dir / "sink.txt"));
    const Poco::Process::Env env{{"XDG_STATE_HOME", state.string()}};

    SUBCASE("no --journal") {
        nb::test::NbHost host({"run", (dir / "wf.json").string()}, env);
        wait_listening(host);
        CHECK(nb::test::http_request(port, post("stored")).status == 200);
        const auto journal = state / "nb-host" / "default-path.journal";
        REQUIRE(fs::exists(journal));
        // The journal holds request bodies: the owner's alone, WAL included.
        CHECK((fs::status(journal).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
        if (fs::exists(journal.string() + "-wal")) {
            CHECK((fs::status(journal.string() + "-wal").permissions() & fs::perms::all) ==
                  (fs::perms::owner_read | fs::perms::owner_write));
        }
        CHECK(query(journal, "SELECT count(*) FROM events") == "1");
        host.signal(SIGTERM);
        CHECK(host.wait_for_exit(10s) == 0);
    }
    SUBCASE("--journal off") {
        nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", "off"}, env);
        wait_listening(host);
        CHECK(nb::test::http_request(port, post("memory only")).status == 200);
        host.signal(SIGTERM);
        CHECK(host.wait_for_exit(10s) == 0);
        CHECK(fs::is_empty(state));
    }
}

TEST_CASE("a commit that fails (a file size limit) answers 503; the host serves on and ran nothing unstored") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto sink = dir / "sink.txt";
    const auto journal = dir / "full.journal";
    nb::test::write_file(dir / "wf.json", sink_workflow("full", {port, ""}, sink, "text"));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--journal", journal.string()});
    wait_listening(host);
    CHECK(nb::test::http_request(port, post("before")).status == 200);

    // As a full disk would: no journal file may grow past its size now.
    std::uintmax_t largest = 0;
    for (const char *suffix : {"", "-wal"}) largest = std::max(largest, fs::file_size(journal.string() + suffix));
    rlimit before{};
    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, nullptr, &before) == 0);
    rlimit limit{largest, before.rlim_max};  // the soft limit only: raising a hard one needs a capability
    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, &limit, nullptr) == 0);
    const auto refused = nb::test::http_request(port, post(padded("refused", 64 * 1024)));
    check_refusal_503(refused);
    CHECK(refused.body.find("could not store") != std::string::npos);

    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, &before, nullptr) == 0);
    CHECK(nb::test::http_request(port, post("after")).status == 200);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
    CHECK(nb::test::read_file(sink) == "before\nafter\n");
    CHECK(query(journal, "SELECT count(*) FROM events") == "2");
}
