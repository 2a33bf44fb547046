// nb-host journal list|show|replay|stats --broker, run as a user would
// against a real redis-server: dead letters made by a real nb-host run
// --broker whose runs fail, unfinished entries written as ingest writes them.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <broker/redis_link.hpp>
#include <broker/stream_format.hpp>
#include <net_helpers.hpp>

#include "broker_fixture.hpp"

#include "../host/helpers.hpp"
#include "../host/process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nb::test::eventually;
using nb::test::lines_of;
using nb::test::run_nb_host;

namespace {

constexpr std::int64_t kT0 = 1'577'836'800'000;  // 2020-01-01T00:00:00Z

// The first field (the ID) of each listed line.
std::vector<std::string> ids_listed(const std::string &text) {
    std::vector<std::string> ids;
    for (const std::string &line : lines_of(text)) ids.push_back(line.substr(0, line.find('\t')));
    return ids;
}

Poco::Dynamic::Var parse_json(const std::string &text) { return Poco::JSON::Parser().parse(text); }

// A redis-server, and the workflow "orders": webhooks hook and hook2, each
// into a file_append whose folder is missing, so every run fails.
struct Broker {
    nb::test::TempDir dir;
    nb::test::RedisServer redis;
    nb::host::RedisLink link{nb::test::settings_for(redis).url, 5s};
    fs::path workflow = dir / "orders.json";
    fs::path sink = dir / "later" / "sink.txt";
    std::uint16_t port = nb::test::free_port();

    Broker() {
        nb::test::write_file(workflow, R"({"name": "orders", "nodes": [
            {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(port) +
                                           R"(, "path": "/in"}},
            {"id": "hook2", "type": "events.webhook", "widgets": {"port": )" +
                                           std::to_string(nb::test::free_port()) + R"(, "path": "/in"}},
            {"id": "sink", "type": "basic.file_append", "widgets": {"file": ")" + sink.string() +
                                           R"(", "format": "text"}},
            {"id": "sink2", "type": "basic.file_append", "widgets": {"file": ")" +
                                           (sink.parent_path() / "sink2.txt").string() + R"(", "format": "text"}}],
          "edges": [{"from": "hook.received_data", "to": "sink.text"},
                    {"from": "hook2.received_data", "to": "sink2.text"}]})");
    }

    // XADD to `key` as ingest writes an event, then the `extra` fields and
    // values (a dead letter's own); the new entry's id.
    nb::host::RedisCommand xadd(const std::string &key, const std::string &body, std::int64_t accepted_ms,
                                std::initializer_list<std::string> extra = {}) {
        nb::host::EventRecord record;
        record.method = "POST";
        record.path = "/in";
        record.remote_addr = "192.0.2.7:50000";
        record.headers_json = R"({"content-type":"text/plain"})";
        record.query_json = R"({"page":"2"})";
        record.body = body;
        const std::string accepted = std::to_string(accepted_ms);
        const nb::host::EntryPairs pairs = nb::host::entry_pairs(record, accepted, "");
        nb::host::RedisCommand command = nb::host::words({"XADD", key, "*"});
        for (std::size_t i = 0; i < pairs.count; ++i) {
            command.add(std::string(pairs.pairs[i].first)).add(std::string(pairs.pairs[i].second));
        }
        for (const std::string &word : extra) command.add(word);
        return command;
    }
    std::string add(const std::string &node, const std::string &body, std::int64_t accepted_ms) {
        return node + "/" + nb::host::bulk(link.call(xadd("nb:orders:" + node, body, accepted_ms))).value_or("");
    }

    // nb-host run --broker (role all), each failed run a dead letter at once.
    std::vector<std::string> worker_args() const {
        return {"run", workflow.string(), "--broker", redis.url(), "--retries", "0", "--workers", "2"};
    }
    static void wait_listening(nb::test::NbHost &host) {
        for (std::string line = host.read_line(); line.rfind("listening:", 0) != 0; line = host.read_line()) {
            if (line.empty()) FAIL("nb-host run --broker ended: " << host.all_stderr());
        }
    }

    nb::test::Finished journal(const std::string &command, std::vector<std::string> args = {},
                               Poco::Process::Env env = {}) const {
        args.insert(args.begin(), {"journal", command, "--broker", redis.url(), workflow.string()});
        return run_nb_host(args, std::move(env));
    }
};

// Broker seeded with
//   two dead letters of hook, made by nb-host run --broker --retries 0 (the
//   first with secret headers);
//   three unfinished entries, written with no worker running: `old` (hook,
//   accepted 2020-01-01T00:00:00Z), `other` (hook2, accepted 00:00:03, read
//   once by consumer "tester") and `delivered` (hook, accepted 00:00:05,
//   also read by "tester").
struct SeededBroker : Broker {
    std::vector<std::string> dead;  // hook/ID of each dead letter, oldest first
    std::string old, delivered, other;

    SeededBroker() {
        {
            nb::test::NbHost host(worker_args());
            wait_listening(host);
            // One after the other: dead letters in the order of their events.
            post("first", true);
            REQUIRE(eventually([&] { return redis.integer("XLEN nb:orders:hook:dead") == 1; }, 10s));
            post("second", false);
            REQUIRE(eventually([&] { return redis.integer("XLEN nb:orders:hook:dead") == 2; }, 10s));
            host.signal(SIGTERM);
            REQUIRE(host.wait_for_exit(10s) == 0);
        }
        const nb::host::RedisReply reply =
            link.call(nb::host::words({"XRANGE", "nb:orders:hook:dead", "-", "+"}));
        const auto &entries = nb::host::array(reply);
        for (std::size_t i = 0; i < nb::host::count(entries); ++i) {
            const auto &entry = nb::host::array(nb::host::element(entries, i));
            dead.push_back("hook/" + nb::host::bulk(nb::host::element(entry, 0)).value_or(""));
        }
        REQUIRE(dead.size() == 2);
        // `delivered` is read before `old` is added: the oldest accepted is
        // the last in its stream, as a replayed event would be.
        delivered = add("hook", "delivered", kT0 + 5000);
        redis.command("XREADGROUP GROUP nb-workers tester COUNT 1 STREAMS nb:orders:hook >");
        old = add("hook", "old", kT0);
        other = add("hook2", "other", kT0 + 3000);
        redis.command("XGROUP CREATE nb:orders:hook2 nb-workers 0");
        redis.command("XREADGROUP GROUP nb-workers tester COUNT 1 STREAMS nb:orders:hook2 >");
    }

    void post(const std::string &body, bool secrets) const {
        nb::test::HttpRequest request;
        request.target = "/in";
        request.body = body;
        if (secrets) {
            request.headers = {{"Authorization", "Bearer s1"}, {"X-Hub-Signature-256", "sha256=s2"},
                               {"X-Api-Key", "s3"}, {"X-Request-Id", "req-1"}};
        }
        REQUIRE(nb::test::http_request(port, request).status == 200);
    }
};

}  // namespace

TEST_CASE("journal list --broker lists unfinished entries and dead letters, oldest accepted first") {
    const SeededBroker broker;
    const auto result = broker.journal("list");
    CAPTURE(result.err);
    CHECK(result.code == 0);
    CHECK(ids_listed(result.out) ==
          std::vector<std::string>{broker.old, broker.other, broker.delivered, broker.dead[0], broker.dead[1]});
    const auto lines = lines_of(result.out);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == broker.old + "\t2020-01-01T00:00:00.000Z\thook\tpending\tattempts 0\tbody 3 B");
    CHECK(lines[1] == broker.other + "\t2020-01-01T00:00:03.000Z\thook2\tdelivered\tattempts 1\tbody 5 B");
    CHECK(lines[2] == broker.delivered + "\t2020-01-01T00:00:05.000Z\thook\tdelivered\tattempts 1\tbody 9 B");
    CHECK(lines[3].find("\thook\tfailed\tattempts 1\tbody 5 B\terror: sink: cannot open") != std::string::npos);
    CHECK(lines[4].find("\thook\tfailed\tattempts 1\tbody 6 B\terror: sink: cannot open") != std::string::npos);
}

TEST_CASE("journal list --broker: --failed, --pending and --since filter; --json has string ids") {
    const SeededBroker broker;
    CHECK(ids_listed(broker.journal("list", {"--failed"}).out) == broker.dead);
    CHECK(ids_listed(broker.journal("list", {"--pending"}).out) ==
          std::vector<std::string>{broker.old, broker.other, broker.delivered});
    // A time is inclusive: `other` was accepted at exactly 00:00:03.
    CHECK(ids_listed(broker.journal("list", {"--since", "2020-01-01T00:00:03Z", "--pending"}).out) ==
          std::vector<std::string>{broker.other, broker.delivered});
    CHECK(ids_listed(broker.journal("list", {"--since", "1h"}).out) == broker.dead);
    CHECK(broker.journal("list", {"--since", "2100-01-01T00:00:00Z"}).out.empty());

    const auto json = broker.journal("list", {"--json", "--failed"});
    CHECK(json.code == 0);
    const auto events = parse_json(json.out).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(events->size() == 2);
    const auto first = events->getObject(0);
    CHECK(first->getValue<std::string>("id") == broker.dead[0]);
    CHECK(first->getValue<std::string>("node") == "hook");
    CHECK(first->getValue<std::string>("state") == "failed");
    CHECK(first->getValue<int>("attempts") == 1);
    CHECK(first->getValue<int>("body_bytes") == 5);
    CHECK(first->getValue<std::string>("last_error").find("cannot open") != std::string::npos);
    const auto pending =
        parse_json(broker.journal("list", {"--json", "--pending"}).out).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(pending->size() == 3);
    CHECK(pending->getObject(0)->getValue<std::string>("accepted_at") == "2020-01-01T00:00:00.000Z");
    CHECK(pending->getObject(0)->isNull("last_error"));
    CHECK(pending->getObject(1)->getValue<std::string>("state") == "delivered");
}

TEST_CASE("journal show --broker prints every field, secret headers redacted unless --show-secrets") {
    const SeededBroker broker;
    const auto shown = broker.journal("show", {broker.dead[0]});
    CAPTURE(shown.out);
    CAPTURE(shown.err);
    CHECK(shown.code == 0);
    const auto lines = lines_of(shown.out);
    for (const std::string &line : {"id: " + broker.dead[0], std::string("node: hook"), std::string("state: failed"),
                                   std::string("attempts: 1"), std::string("method: POST"),
                                   std::string("path: /in"), std::string("  x-request-id: req-1"),
                                   std::string("  authorization: [redacted]"),
                                   std::string("  x-hub-signature-256: [redacted]"),
                                   std::string("  x-api-key: [redacted]"), std::string("body: 5 B"),
                                   std::string("first")}) {
        CAPTURE(line);
        CHECK(std::find(lines.begin(), lines.end(), line) != lines.end());
    }
    CHECK(shown.out.find("last error: sink: cannot open") != std::string::npos);
    CHECK(shown.out.find("original entry: ") != std::string::npos);
    for (const char *secret : {"Bearer s1", "sha256=s2", "s3\n"}) CHECK(shown.out.find(secret) == std::string::npos);

    const auto revealed = broker.journal("show", {broker.dead[0], "--show-secrets"});
    CHECK(revealed.out.find("  authorization: Bearer s1\n") != std::string::npos);
    CHECK(revealed.out.find("  x-api-key: s3\n") != std::string::npos);

    const auto json = broker.journal("show", {broker.dead[0], "--json"});
    const auto event = parse_json(json.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(event->getValue<std::string>("id") == broker.dead[0]);
    CHECK(event->getValue<std::string>("state") == "failed");
    CHECK(event->getValue<std::string>("body") == "first");
    CHECK(!event->getValue<std::string>("entry").empty());
    CHECK(!event->isNull("finished_at"));
    CHECK(event->getObject("headers")->getValue<std::string>("x-hub-signature-256") == "[redacted]");
    const auto secrets = parse_json(broker.journal("show", {broker.dead[0], "--json", "--show-secrets"}).out)
                             .extract<Poco::JSON::Object::Ptr>();
    CHECK(secrets->getObject("headers")->getValue<std::string>("x-hub-signature-256") == "sha256=s2");

    const auto pending = broker.journal("show", {broker.old});
    CHECK(pending.code == 0);
    CHECK(pending.out.find("state: pending\n") != std::string::npos);
    CHECK(pending.out.find("accepted: 2020-01-01T00:00:00.000Z\nfinished: -\nmethod: POST\n") != std::string::npos);
    CHECK(pending.out.find("remote address: 192.0.2.7:50000\n") != std::string::npos);
    CHECK(pending.out.find("  page: 2\n") != std::string::npos);
    CHECK(broker.journal("show", {broker.delivered}).out.find("state: delivered\nattempts: 1\n") != std::string::npos);

    const auto unknown = broker.journal("show", {"hook/1-0"});
    CHECK(unknown.code == 1);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.find("Redis at 127.0.0.1:" + std::to_string(broker.redis.port()) + " has no event hook/1-0") !=
          std::string::npos);
}

TEST_CASE("journal replay --broker moves a dead letter back to its stream, where a running worker runs it") {
    const SeededBroker broker;
    fs::create_directories(broker.sink.parent_path());  // fixed: runs succeed from now on
    nb::test::NbHost worker(broker.worker_args());
    SeededBroker::wait_listening(worker);
    // The worker takes the unfinished entry nobody holds at once.
    REQUIRE(eventually([&] { return nb::test::read_file(broker.sink) == "old\n"; }, 10s));

    const auto replayed = broker.journal("replay", {broker.dead[1], broker.old.substr(0, 5) + "1-0"});
    CHECK(replayed.code == 1);  // one unknown id: nothing replayed
    CHECK(replayed.err.find("has no event hook/1-0: nothing replayed") != std::string::npos);
    CHECK(broker.redis.integer("XLEN nb:orders:hook:dead") == 2);

    const auto done = broker.journal("replay", {broker.dead[1], broker.delivered});
    CAPTURE(done.err);
    CHECK(done.code == 0);
    const auto lines = lines_of(done.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "replayed 1 dead letter:");
    CHECK(lines[1].rfind("  " + broker.dead[1] + " as hook/", 0) == 0);
    CHECK(lines[2] == "event " + broker.delivered + ": already pending, left alone");
    CHECK(lines[3].find("a running worker") != std::string::npos);
    CHECK(lines[3].find("at once") != std::string::npos);
    CHECK(eventually([&] { return nb::test::read_file(broker.sink) == "old\nsecond\n"; }, 10s));
    CHECK(broker.redis.integer("XLEN nb:orders:hook:dead") == 1);
    CHECK(ids_listed(broker.journal("list", {"--failed"}).out) == std::vector<std::string>{broker.dead[0]});
    worker.signal(SIGTERM);
    CHECK(worker.wait_for_exit(10s) == 0);
}

TEST_CASE("journal replay --broker --failed replays every dead letter") {
    const SeededBroker broker;
    const auto replayed = broker.journal("replay", {"--failed"});
    CAPTURE(replayed.err);
    CHECK(replayed.code == 0);
    const auto lines = lines_of(replayed.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "replayed 2 dead letters:");
    const std::string prefix = "  " + broker.dead[0] + " as ";
    REQUIRE(lines[1].rfind(prefix, 0) == 0);
    CHECK(lines[2].rfind("  " + broker.dead[1] + " as hook/", 0) == 0);
    CHECK(broker.redis.integer("XLEN nb:orders:hook:dead") == 0);
    CHECK(broker.redis.integer("XLEN nb:orders:hook") == 4);
    CHECK(ids_listed(broker.journal("list", {"--pending"}).out).size() == 5);
    // Back as a new entry, pending, with the event's own fields only.
    const std::string entry = lines[1].substr(prefix.size());
    const auto shown = broker.journal("show", {entry, "--json"});
    CAPTURE(shown.err);
    const auto event = parse_json(shown.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(event->getValue<std::string>("id") == entry);
    CHECK(event->getValue<std::string>("state") == "pending");
    CHECK(event->getValue<int>("attempts") == 0);
    CHECK(event->isNull("last_error"));
    CHECK(!event->has("entry"));
    CHECK(event->getValue<std::string>("body") == "first");
    CHECK(broker.journal("replay", {"--failed"}).out == "replayed 0 dead letters\n");
}

TEST_CASE("journal stats --broker counts per node and in total") {
    const SeededBroker broker;
    const auto text = broker.journal("stats");
    CAPTURE(text.err);
    CHECK(text.code == 0);
    const auto lines = lines_of(text.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] ==
          "node hook: pending 2, delivered 1, failed 2, consumers 1, oldest pending 2020-01-01T00:00:05.000Z");
    CHECK(lines[1] ==
          "node hook2: pending 1, delivered 1, failed 0, consumers 1, oldest pending 2020-01-01T00:00:03.000Z");
    // "tester" reads both streams: one consumer in all. The oldest pending
    // is the accepted time of the entry first in its stream: `old` came later.
    CHECK(lines[2] == "total: pending 3, delivered 2, failed 2, consumers 1, oldest pending 2020-01-01T00:00:03.000Z");

    const auto json = parse_json(broker.journal("stats", {"--json"}).out).extract<Poco::JSON::Object::Ptr>();
    const auto nodes = json->getArray("nodes");
    REQUIRE(nodes->size() == 2);
    CHECK(nodes->getObject(0)->getValue<std::string>("node") == "hook");
    CHECK(nodes->getObject(0)->getValue<int>("failed") == 2);
    CHECK(nodes->getObject(1)->getValue<int>("pending") == 1);
    const auto total = json->getObject("total");
    CHECK(total->getValue<int>("pending") == 3);
    CHECK(total->getValue<int>("delivered") == 2);
    CHECK(total->getValue<int>("failed") == 2);
    CHECK(total->getValue<int>("consumers") == 1);
    CHECK(total->getValue<std::string>("oldest_pending_at") == "2020-01-01T00:00:03.000Z");
}

TEST_CASE("journal --broker reads and replays a backlog longer than one page of Redis's answers") {
    Broker broker;
    constexpr int kEntries = 2500, kDelivered = 1200, kDead = 1100;  // pages of 1000
    std::vector<nb::host::RedisCommand> adds;
    for (int i = 0; i < kEntries; ++i) adds.push_back(broker.xadd("nb:orders:hook", "e" + std::to_string(i), kT0 + i));
    for (int i = 0; i < kDead; ++i) {
        adds.push_back(broker.xadd("nb:orders:hook:dead", "d", kT0 + i,
                                   {"entry", "1-" + std::to_string(i), "error", "no", "attempts", "1", "failed_at",
                                    std::to_string(kT0 + i)}));
    }
    broker.link.pipeline(adds);
    broker.redis.command("XGROUP CREATE nb:orders:hook nb-workers 0");
    broker.link.call(nb::host::words({"XREADGROUP", "GROUP", "nb-workers", "tester", "COUNT",
                                              std::to_string(kDelivered), "STREAMS", "nb:orders:hook", ">"}));

    const auto pending = broker.journal("list", {"--pending"});
    const auto lines = lines_of(pending.out);
    REQUIRE(lines.size() == kEntries);
    CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string &line) {
              return line.find("\tdelivered\tattempts 1\t") != std::string::npos;
          }) == kDelivered);
    CHECK(lines.back().find("\tpending\t") != std::string::npos);
    CHECK(lines_of(broker.journal("list", {"--failed"}).out).size() == kDead);
    CHECK(broker.journal("stats").out.rfind("node hook: pending 2500, delivered 1200, failed 1100, consumers 1, ",
                                            0) == 0);

    const auto replayed = broker.journal("replay", {"--failed"});
    CHECK(replayed.out.rfind("replayed 1100 dead letters:\n", 0) == 0);
    CHECK(broker.redis.integer("XLEN nb:orders:hook:dead") == 0);
    CHECK(broker.redis.integer("XLEN nb:orders:hook") == kEntries + kDead);
}

TEST_CASE("journal --broker reads env:NAME, and a workflow without a name exits 1") {
    const SeededBroker broker;
    const auto from_env =
        broker.journal("list", {"--failed"}, {{"NB_TEST_BROKER", broker.redis.url()}});
    CHECK(from_env.code == 0);
    const auto listed = run_nb_host({"journal", "list", "--broker", "env:NB_TEST_BROKER", broker.workflow.string()},
                                    {{"NB_TEST_BROKER", broker.redis.url()}});
    CAPTURE(listed.err);
    CHECK(ids_listed(listed.out).size() == 5);
    const auto unset = run_nb_host({"journal", "list", "--broker", "env:NB_TEST_UNSET", broker.workflow.string()});
    CHECK(unset.code == 1);
    CHECK(unset.err.find("the environment variable NB_TEST_UNSET is not set") != std::string::npos);

    nb::test::write_file(broker.dir / "nameless.json", R"({"nodes": []})");
    const auto nameless = run_nb_host({"journal", "stats", "--broker", broker.redis.url(),
                                       (broker.dir / "nameless.json").string()});
    CHECK(nameless.code == 1);
    CHECK(nameless.err.find("nameless.json") != std::string::npos);
    CHECK(nameless.err.find("\"name\"") != std::string::npos);
}

TEST_CASE("journal --broker: an unreachable broker or a wrong password exits 1 naming the address") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "wf.json", R"({"name": "orders", "nodes": []})");
    const std::string port = std::to_string(nb::test::free_port());
    const auto unreachable =
        run_nb_host({"journal", "list", "--broker", "redis://127.0.0.1:" + port, (dir / "wf.json").string()});
    CHECK(unreachable.code == 1);
    CHECK(unreachable.err.find("cannot reach Redis at 127.0.0.1:" + port) != std::string::npos);

    nb::test::RedisServer locked({"--requirepass", "right"});
    const std::string address = "127.0.0.1:" + std::to_string(locked.port());
    const auto wrong =
        run_nb_host({"journal", "stats", "--broker", "redis://:wrong@" + address, (dir / "wf.json").string()});
    CHECK(wrong.code == 1);
    CHECK(wrong.err.find("Redis at " + address + " refused the password") != std::string::npos);
    CHECK(wrong.err.find("wrong") == std::string::npos);
    const auto none = run_nb_host({"journal", "stats", "--broker", "redis://" + address, (dir / "wf.json").string()});
    CHECK(none.code == 1);
    CHECK(none.err.find("Redis at " + address + " needs a password") != std::string::npos);
    const auto right =
        run_nb_host({"journal", "stats", "--broker", "redis://:right@" + address, (dir / "wf.json").string()});
    CHECK(right.code == 0);
    CHECK(right.out == "total: pending 0, delivered 0, failed 0, consumers 0, oldest pending -\n");
}

TEST_CASE("journal --broker command lines that cannot be acted on exit 2") {
    const std::string url = "redis://127.0.0.1:1";
    for (const auto &args : std::vector<std::vector<std::string>>{
             {"journal", "list", "--broker", url},
             {"journal", "list", "--broker", url, "--journal", "j", "wf.json"},
             {"journal", "list", "--broker", "http://x", "wf.json"},
             {"journal", "show", "--broker", url, "wf.json"},
             {"journal", "show", "--broker", url, "wf.json", "7"},
             {"journal", "show", "--broker", url, "wf.json", "hook/7"},
             {"journal", "show", "--broker", url, "wf.json", "/1-0"},
             {"journal", "show", "--broker", url, "wf.json", "hook/1-x"},
             {"journal", "show", "--broker", url, "wf.json", "hook/1-0", "hook/2-0"},
             {"journal", "replay", "--broker", url, "wf.json"},
             {"journal", "replay", "--broker", url, "wf.json", "hook/1-0", "--failed"},
             {"journal", "stats", "--broker", url, "wf.json", "hook/1-0"}}) {
        const auto result = run_nb_host(args);
        CAPTURE(result.err);
        CHECK(result.code == 2);
        CHECK(result.err.find("usage: nb-host run WORKFLOW.json") != std::string::npos);
    }
    const auto both = run_nb_host({"journal", "list", "--journal", "j", "--broker", url, "wf.json"});
    CHECK(both.err.find("--journal and --broker exclude each other") != std::string::npos);
    const auto malformed = run_nb_host({"journal", "show", "--broker", url, "wf.json", "hook-1-0"});
    CHECK(malformed.err.find("NODE/MS-SEQ") != std::string::npos);
    CHECK(malformed.err.find("got \"hook-1-0\"") != std::string::npos);
    const auto no_workflow = run_nb_host({"journal", "stats", "--broker", url});
    CHECK(no_workflow.err.find("needs WORKFLOW.json") != std::string::npos);
}
