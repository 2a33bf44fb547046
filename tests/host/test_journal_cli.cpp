#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <store/journal_file.hpp>

#include "helpers.hpp"
#include "process.hpp"

namespace fs = std::filesystem;
using nb::host::JournalAccess;
using nb::host::JournalFile;
using nb::host::Statement;
using nb::test::lines_of;
using nb::test::run_nb_host;

namespace {

constexpr std::int64_t kT0 = 1'577'836'800'000;  // 2020-01-01T00:00:00Z

struct Row {
    std::string node = "hook";
    std::int64_t accepted_at = kT0;
    int state = 0;
    int attempts = 0;
    std::optional<std::int64_t> finished_at;
    std::optional<std::string> last_error;
    std::string headers_json = "{}";
    std::string body = "{}";
    std::optional<std::string> delivery_id;
};

// Inserted with SQL as the schema stands, so these tests do not lean on the writer.
std::int64_t insert(JournalFile &file, const Row &row) {
    Statement insert(file.db(),
                     "INSERT INTO events (node, accepted_at, state, attempts, finished_at, last_error,"
                     " method, path, remote_addr, headers_json, query_json, body, delivery_id, dedupe_window_s)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'POST', '/hook', '192.0.2.7:50000', ?7,"
                     " '{\"page\":\"2\"}', ?8, ?9, 300)");
    insert.bind(1, row.node).bind(2, row.accepted_at).bind(3, std::int64_t{row.state});
    insert.bind(4, std::int64_t{row.attempts});
    if (row.finished_at) {
        insert.bind(5, *row.finished_at);
    } else {
        insert.bind_null(5);
    }
    if (row.last_error) {
        insert.bind(6, *row.last_error);
    } else {
        insert.bind_null(6);
    }
    insert.bind(7, row.headers_json).bind_blob(8, row.body);
    if (row.delivery_id) {
        insert.bind(9, *row.delivery_id);
    } else {
        insert.bind_null(9);
    }
    insert.run();
    return file.db().scalar("SELECT last_insert_rowid()");
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A journal holding five events, ids 1 to 5:
//   1 finished, 2 failed (3 attempts), 3 pending, 4 finished with secret
//   headers, 5 pending and accepted ten minutes ago.
struct SampleJournal {
    nb::test::TempDir dir;
    fs::path path = dir / "orders.journal";

    SampleJournal() {
        JournalFile file(path, JournalAccess::write);
        insert(file, {"hook", kT0, 1, 1, kT0 + 50, std::nullopt, "{}", "first", std::nullopt});
        insert(file, {"hook", kT0 + 1000, 2, 3, kT0 + 1200, "boom\nsecond line", "{}", "second", std::nullopt});
        insert(file, {"other", kT0 + 2000, 0, 0, std::nullopt, std::nullopt, "{}", "third", std::nullopt});
        insert(file, {"hook", kT0 + 3000, 1, 1, kT0 + 3100, std::nullopt, secret_headers(), "fourth",
                      "delivery-4"});
        insert(file, {"hook", now_ms() - 600'000, 0, 0, std::nullopt, std::nullopt, "{}", "fifth", std::nullopt});
    }

    static std::string secret_headers() {
        return R"({"content-type":"application/json","x-request-id":"req-1",)"
               R"("authorization":"Bearer s1","proxy-authorization":"Basic s2","cookie":"sid=s3",)"
               R"("x-hub-signature-256":"sha256=s4","x-auth-token":"s5","x-webhook-secret":"s6",)"
               R"("x-api-key":"s7","apikey":"s8","x-hmac-sha1":"s9","x-password":"s10"})";
    }

    // (state, replay) of event `id`, read straight from the file.
    std::pair<std::int64_t, std::int64_t> state_of(std::int64_t id) const {
        JournalFile file(path, JournalAccess::read);
        Statement query(file.db(), "SELECT state, replay FROM events WHERE id = ?1");
        query.bind(1, id);
        REQUIRE(query.step());
        return {query.integer(0), query.integer(1)};
    }

    nb::test::Finished journal(const std::string &command, std::vector<std::string> args = {}) const {
        args.insert(args.begin(), {"journal", command, "--journal", path.string()});
        return run_nb_host(args);
    }
};

std::vector<std::int64_t> ids_listed(const std::string &text) {
    std::vector<std::int64_t> ids;
    for (const std::string &line : lines_of(text)) ids.push_back(std::stoll(line.substr(0, line.find('\t'))));
    return ids;
}

Poco::Dynamic::Var parse_json(const std::string &text) { return Poco::JSON::Parser().parse(text); }

const std::vector<std::string> kSecretValues = {"Bearer s1", "Basic s2", "sid=s3", "sha256=s4", "s5",
                                                "s6",        "s7",       "s8",     "s9",        "s10"};

}  // namespace

TEST_CASE("journal list prints one line per event, oldest first, with the last error of failed ones") {
    const SampleJournal journal;
    const auto result = journal.journal("list");
    CAPTURE(result.err);
    CHECK(result.code == 0);
    CHECK(ids_listed(result.out) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    const auto lines = lines_of(result.out);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "1\t2020-01-01T00:00:00.000Z\thook\tfinished\tattempts 1\tbody 5 B");
    CHECK(lines[1] == "2\t2020-01-01T00:00:01.000Z\thook\tfailed\tattempts 3\tbody 6 B\terror: boom\\nsecond line");
    CHECK(lines[2] == "3\t2020-01-01T00:00:02.000Z\tother\tpending\tattempts 0\tbody 5 B");
}

TEST_CASE("journal list --failed, --pending and --since filter the events") {
    const SampleJournal journal;
    CHECK(ids_listed(journal.journal("list", {"--failed"}).out) == std::vector<std::int64_t>{2});
    CHECK(ids_listed(journal.journal("list", {"--pending"}).out) == std::vector<std::int64_t>{3, 5});
    // A time is inclusive: event 2 was accepted at exactly 00:00:01.
    CHECK(ids_listed(journal.journal("list", {"--since", "2020-01-01T00:00:01Z"}).out) ==
          std::vector<std::int64_t>{2, 3, 4, 5});
    CHECK(ids_listed(journal.journal("list", {"--since", "1h"}).out) == std::vector<std::int64_t>{5});
    CHECK(ids_listed(journal.journal("list", {"--since", "1h", "--pending"}).out) == std::vector<std::int64_t>{5});
    CHECK(ids_listed(journal.journal("list", {"--since", "5m"}).out).empty());
    const auto bad = journal.journal("list", {"--since", "yesterday"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--since needs a UTC time") != std::string::npos);
    CHECK(bad.err.find("got \"yesterday\"") != std::string::npos);
}

TEST_CASE("journal list --json is an array of objects with every listed field") {
    const SampleJournal journal;
    const auto result = journal.journal("list", {"--json", "--since", "2020-01-01T00:00:01Z"});
    CHECK(result.code == 0);
    const auto events = parse_json(result.out).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(events->size() == 4);
    const auto failed = events->getObject(0);
    CHECK(failed->getValue<std::int64_t>("id") == 2);
    CHECK(failed->getValue<std::string>("accepted_at") == "2020-01-01T00:00:01.000Z");
    CHECK(failed->getValue<std::string>("node") == "hook");
    CHECK(failed->getValue<std::string>("state") == "failed");
    CHECK(failed->getValue<int>("attempts") == 3);
    CHECK(failed->getValue<int>("body_bytes") == 6);
    CHECK(failed->getValue<std::string>("last_error") == "boom\nsecond line");
    const auto pending = events->getObject(1);
    CHECK(pending->getValue<std::string>("node") == "other");
    CHECK(pending->getValue<std::string>("state") == "pending");
    CHECK(pending->isNull("last_error"));

    const auto none = journal.journal("list", {"--json", "--since", "1m"});
    CHECK(parse_json(none.out).extract<Poco::JSON::Array::Ptr>()->size() == 0);
}

TEST_CASE("journal show prints every field and redacts secret headers unless --show-secrets") {
    const SampleJournal journal;
    const auto shown = journal.journal("show", {"4"});
    CAPTURE(shown.out);
    CHECK(shown.code == 0);
    for (const char *line : {"id: 4", "node: hook", "state: finished", "attempts: 1", "last error: -",
                             "accepted: 2020-01-01T00:00:03.000Z", "finished: 2020-01-01T00:00:03.100Z",
                             "method: POST", "path: /hook", "remote address: 192.0.2.7:50000",
                             "delivery id: delivery-4", "dedupe window: 300 s", "  content-type: application/json",
                             "  x-request-id: req-1", "  page: 2", "body: 6 B", "fourth"}) {
        CAPTURE(line);
        const auto lines = lines_of(shown.out);
        CHECK(std::find(lines.begin(), lines.end(), line) != lines.end());
    }
    for (const char *name : {"authorization", "proxy-authorization", "cookie", "x-hub-signature-256",
                             "x-auth-token", "x-webhook-secret", "x-api-key", "apikey", "x-hmac-sha1",
                             "x-password"}) {
        CAPTURE(name);
        CHECK(shown.out.find(std::string("  ") + name + ": [redacted]\n") != std::string::npos);
    }
    for (const std::string &secret : kSecretValues) {
        CAPTURE(secret);
        CHECK(shown.out.find(": " + secret + "\n") == std::string::npos);
    }

    const auto revealed = journal.journal("show", {"4", "--show-secrets"});
    CHECK(revealed.out.find("[redacted]") == std::string::npos);
    CHECK(revealed.out.find("  authorization: Bearer s1\n") != std::string::npos);
    CHECK(revealed.out.find("  x-password: s10\n") != std::string::npos);
}

TEST_CASE("journal show --json is one object, redacted the same way") {
    const SampleJournal journal;
    const auto shown = journal.journal("show", {"4", "--json"});
    CHECK(shown.code == 0);
    const auto event = parse_json(shown.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(event->getValue<std::int64_t>("id") == 4);
    CHECK(event->getValue<std::string>("state") == "finished");
    CHECK(event->getValue<std::string>("finished_at") == "2020-01-01T00:00:03.100Z");
    CHECK(event->getValue<std::string>("method") == "POST");
    CHECK(event->getValue<std::string>("remote_addr") == "192.0.2.7:50000");
    CHECK(event->getValue<std::string>("delivery_id") == "delivery-4");
    CHECK(event->getValue<int>("dedupe_window_s") == 300);
    CHECK(event->getValue<std::string>("body") == "fourth");
    CHECK(event->getObject("query")->getValue<std::string>("page") == "2");
    const auto headers = event->getObject("headers");
    CHECK(headers->getValue<std::string>("x-request-id") == "req-1");
    for (const char *name : {"authorization", "cookie", "x-hub-signature-256", "x-api-key", "x-password"}) {
        CAPTURE(name);
        CHECK(headers->getValue<std::string>(name) == "[redacted]");
    }
    const auto revealed = journal.journal("show", {"4", "--json", "--show-secrets"});
    CHECK(parse_json(revealed.out).extract<Poco::JSON::Object::Ptr>()->getObject("headers")->getValue<std::string>(
              "x-hub-signature-256") == "sha256=s4");

    const auto failed = parse_json(journal.journal("show", {"2", "--json"}).out).extract<Poco::JSON::Object::Ptr>();
    CHECK(failed->getValue<std::string>("last_error") == "boom\nsecond line");
    CHECK(failed->isNull("delivery_id"));
}

TEST_CASE("journal show gives a body that is not UTF-8 in base64, and an unknown id exits 1 naming it") {
    SampleJournal journal;
    {
        JournalFile file(journal.path, JournalAccess::read_write);
        insert(file, {"hook", kT0, 1, 1, kT0, std::nullopt, "{}", std::string("\xff\x00z", 3), std::nullopt});
    }
    const auto binary = journal.journal("show", {"6", "--json"});
    const auto event = parse_json(binary.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(event->isNull("body"));
    CHECK(event->getValue<std::string>("body_base64") == "/wB6");

    const auto unknown = journal.journal("show", {"99"});
    CHECK(unknown.code == 1);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.find(journal.path.string() + " has no event 99") != std::string::npos);
}

TEST_CASE("journal replay marks finished and failed events, leaves pending ones and refuses unknown ids") {
    SampleJournal journal;
    const auto refused = journal.journal("replay", {"1", "99"});
    CHECK(refused.code == 1);
    CHECK(refused.err.find("no event 99") != std::string::npos);
    CHECK(journal.state_of(1) == std::pair<std::int64_t, std::int64_t>{1, 0});  // nothing changed

    const auto marked = journal.journal("replay", {"1", "2", "3"});
    CAPTURE(marked.err);
    CHECK(marked.code == 0);
    CHECK(marked.out.find("marked 2 events for replay: 1, 2\n") == 0);
    CHECK(marked.out.find("event 3: already pending") != std::string::npos);
    CHECK(marked.out.find("--journal-poll") != std::string::npos);
    CHECK(journal.state_of(1) == std::pair<std::int64_t, std::int64_t>{0, 1});
    CHECK(journal.state_of(2) == std::pair<std::int64_t, std::int64_t>{0, 1});
    CHECK(journal.state_of(3) == std::pair<std::int64_t, std::int64_t>{0, 0});
    CHECK(journal.state_of(4) == std::pair<std::int64_t, std::int64_t>{1, 0});
}

TEST_CASE("journal replay --failed marks every failed event and nothing else") {
    SampleJournal journal;
    const auto marked = journal.journal("replay", {"--failed"});
    CHECK(marked.code == 0);
    CHECK(marked.out.find("marked 1 event for replay: 2\n") == 0);
    CHECK(journal.state_of(2) == std::pair<std::int64_t, std::int64_t>{0, 1});
    CHECK(journal.state_of(1) == std::pair<std::int64_t, std::int64_t>{1, 0});
    CHECK(journal.journal("replay", {"--failed"}).out == "marked 0 events for replay\n");
}

TEST_CASE("journal stats counts events by state and sizes the file") {
    const SampleJournal journal;
    const auto text = journal.journal("stats");
    CHECK(text.code == 0);
    CHECK(text.out.find("pending: 2\nfinished: 2\nfailed: 1\noldest pending: 2020-01-01T00:00:02.000Z\n") == 0);

    const auto json = journal.journal("stats", {"--json"});
    const auto stats = parse_json(json.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(stats->getValue<int>("pending") == 2);
    CHECK(stats->getValue<int>("finished") == 2);
    CHECK(stats->getValue<int>("failed") == 1);
    CHECK(stats->getValue<std::string>("oldest_pending_at") == "2020-01-01T00:00:02.000Z");
    std::uintmax_t size = fs::file_size(journal.path);
    if (fs::exists(journal.path.string() + "-wal")) size += fs::file_size(journal.path.string() + "-wal");
    CHECK(stats->getValue<std::uint64_t>("file_bytes") == size);
    CHECK(stats->getValue<int>("pages_in_use") > 1);
    CHECK(stats->getValue<int>("page_size") >= 512);
}

TEST_CASE("a missing journal, a file that is no journal and another SQLite database exit 1 naming the file") {
    nb::test::TempDir dir;
    const fs::path missing = dir / "missing.journal";
    const auto absent = run_nb_host({"journal", "list", "--journal", missing.string()});
    CHECK(absent.code == 1);
    CHECK(absent.err.find("no journal at " + missing.string()) != std::string::npos);
    CHECK_FALSE(fs::exists(missing));

    const fs::path text = dir / "notes.txt";
    nb::test::write_file(text, std::string(4096, 'x'));
    const auto not_sqlite = run_nb_host({"journal", "stats", "--journal", text.string()});
    CHECK(not_sqlite.code == 1);
    CHECK(not_sqlite.err.find(text.string() + " is not an nb-host journal") != std::string::npos);
    CHECK(nb::test::read_file(text) == std::string(4096, 'x'));

    const fs::path other = dir / "other.db";
    nb::host::Database(other.string(), true).exec("CREATE TABLE t (x)");
    const auto foreign = run_nb_host({"journal", "replay", "--journal", other.string(), "--failed"});
    CHECK(foreign.code == 1);
    CHECK(foreign.err.find(other.string() + " is not an nb-host journal") != std::string::npos);
}

TEST_CASE("a workflow file instead of --journal means that workflow's default journal") {
    nb::test::TempDir dir;
    const Poco::Process::Env state{{"XDG_STATE_HOME", (dir / "state").string()}};
    {
        JournalFile file(dir / "state" / "nb-host" / "my_orders.journal", JournalAccess::write);
        insert(file, {"hook", kT0, 2, 1, kT0, "no", "{}", "x", std::nullopt});
    }
    nb::test::write_file(dir / "wf.json", R"({"name": "my orders", "nodes": []})");
    const auto listed = run_nb_host({"journal", "list", (dir / "wf.json").string(), "--failed"}, state);
    CAPTURE(listed.err);
    CHECK(listed.code == 0);
    CHECK(ids_listed(listed.out) == std::vector<std::int64_t>{1});
    const auto shown = run_nb_host({"journal", "show", (dir / "wf.json").string(), "1"}, state);
    CHECK(shown.out.find("id: 1\n") == 0);

    nb::test::write_file(dir / "broken.json", "{");
    const auto broken = run_nb_host({"journal", "stats", (dir / "broken.json").string()});
    CHECK(broken.code == 1);
    CHECK(broken.err.find("broken.json") != std::string::npos);
}

TEST_CASE("journal command lines that cannot be acted on exit 2") {
    for (const auto &args : std::vector<std::vector<std::string>>{
             {"journal"},
             {"journal", "frob", "--journal", "j"},
             {"journal", "list"},
             {"journal", "list", "--journal", "off"},
             {"journal", "list", "--journal", "j", "7"},
             {"journal", "list", "--journal", "j", "--failed", "--pending"},
             {"journal", "list", "--journal", "j", "--show-secrets"},
             {"journal", "show", "--journal", "j"},
             {"journal", "show", "--journal", "j", "1", "2"},
             {"journal", "show", "--journal", "j", "x"},
             {"journal", "show", "--journal", "j", "0"},
             {"journal", "replay", "--journal", "j"},
             {"journal", "replay", "--journal", "j", "1", "--failed"},
             {"journal", "replay", "--journal", "j", "--pending"},
             {"journal", "replay", "--journal", "j", "1", "--json"},
             {"journal", "stats", "j.journal"},
             {"journal", "stats", "--journal", "j", "--since", "1h"}}) {
        const auto result = run_nb_host(args);
        CAPTURE(result.err);
        CHECK(result.code == 2);
        CHECK(result.err.find("usage: nb-host run WORKFLOW.json") != std::string::npos);
    }
}
