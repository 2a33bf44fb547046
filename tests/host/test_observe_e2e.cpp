// nb-host run --admin and --access-log, driven as a user would: a real
// nb-host process, the webhook plugin and the test plugin test.observed
// (fixtures/observed_plugin.cpp: metrics through NB_EXT_METRICS, an access
// record per line of a FIFO, a start that waits for a file), promtool,
// redis-server, and a file size limit to make the journal fail.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include <net_helpers.hpp>

#include "helpers.hpp"
#include "process.hpp"
#include "redis_server.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nb::test::eventually;

namespace {

struct Setup {
    nb::test::TempDir dir;
    std::uint16_t hook_port = nb::test::free_port();
    std::uint16_t admin_port = nb::test::free_port();
    fs::path fifo = dir / "records.fifo";
    fs::path gate;  // test.observed's start waits for it, when set
    fs::path plugins = dir / "plugins";

    Setup() {
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        fs::create_directories(plugins);
        fs::create_symlink(fs::path(TEST_FIXTURE_DIR) / "test_observed.so", plugins / "test_observed.so");
    }
    std::string admin() const { return "127.0.0.1:" + std::to_string(admin_port); }
    // hook -> log, and test.observed "watch".
    fs::path workflow() const {
        const fs::path file = dir / "wf.json";
        nb::test::write_file(file, R"({"name": "obs", "nodes": [
            {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(hook_port) + R"(}},
            {"id": "show", "type": "basic.log"},
            {"id": "watch", "type": "test.observed", "widgets": {"fifo": ")" + fifo.string() +
                                       R"(", "gate": ")" + gate.string() + R"("}}],
          "edges": [{"from": "hook.received_data", "to": "show.text"}]})");
        return file;
    }
    std::vector<std::string> run_args(std::vector<std::string> more) const {
        std::vector<std::string> args{"run", workflow().string(), "--plugin-dir", plugins.string()};
        args.insert(args.end(), more.begin(), more.end());
        return args;
    }
    // Writes lines to test.observed's FIFO: one access record each.
    void send_records(const std::vector<std::string> &lines) const {
        std::ofstream out(fifo);
        for (const std::string &line : lines) out << line << "\n";
    }
};

nb::test::HttpReply get(std::uint16_t port, const std::string &target) {
    nb::test::HttpRequest request;
    request.method = "GET";
    request.target = target;
    return nb::test::http_request(port, request);
}

int post(std::uint16_t port, const std::string &body) {
    nb::test::HttpRequest request;
    request.body = body;
    return nb::test::http_request(port, request).status;
}

// Reads stdout up to the listening line of `node`: every listener is open.
void wait_listening(nb::test::NbHost &host, const std::string &node) {
    for (std::string line = host.read_line(); line.find("(node " + node + ")") == std::string::npos;
         line = host.read_line()) {
        REQUIRE_MESSAGE(!line.empty(), "nb-host ended its output before listening");
    }
}

std::pair<int, std::string> promtool(const std::string &text, const fs::path &dir) {
    nb::test::write_file(dir / "scrape.txt", text);
    const int status = std::system(("promtool check metrics < " + (dir / "scrape.txt").string() + " > " +
                                    (dir / "promtool.txt").string() + " 2>&1").c_str());
    return {WEXITSTATUS(status), nb::test::read_file(dir / "promtool.txt")};
}

bool has_line(const std::string &text, const std::string &line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

std::vector<Poco::JSON::Object::Ptr> json_lines(const fs::path &file) {
    std::vector<Poco::JSON::Object::Ptr> lines;
    for (const std::string &line : nb::test::lines_of(nb::test::read_file(file))) {
        lines.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
    }
    return lines;
}

}  // namespace

TEST_CASE("--admin: /metrics holds nb-host's families and the plugin's; promtool accepts it; a taken name is "
          "dropped and warned once") {
    Setup setup;
    nb::test::NbHost host(setup.run_args({"--admin", setup.admin()}));
    CHECK(host.read_line() == "admin: http://" + setup.admin() + "/metrics");
    wait_listening(host, "hook");
    CHECK(post(setup.hook_port, "one") == 200);
    CHECK(post(setup.hook_port, "two") == 200);
    setup.send_records({"/a", "/b", "/c"});

    std::string text;
    REQUIRE(eventually([&] {
        text = get(setup.admin_port, "/metrics").body;
        return has_line(text, R"(nb_runs_total{workflow="obs",outcome="succeeded"} 2)") &&
               has_line(text, R"(test_observed_lines_total{node="watch"} 3)");
    }, 10s));
    const auto scrape = get(setup.admin_port, "/metrics");
    CHECK(scrape.status == 200);
    CHECK(scrape.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
    text = scrape.body;
    for (const char *line : {
             R"(nb_runs_total{workflow="obs",outcome="failed"} 0)",
             R"(nb_run_duration_seconds_count{workflow="obs"} 2)",
             "nb_queue_depth 0",
             "nb_queue_capacity 1024",
             "nb_journal_commit_events_count 2",
             "nb_journal_commit_duration_seconds_count 2",
             "nb_journal_replayed_total 0",
             "nb_journal_dead_letters_total 0",
             "# TYPE test_observed_seconds histogram",
             R"(test_observed_seconds_bucket{node="watch",le="0.001"} 2)",
             R"(test_observed_seconds_bucket{node="watch",le="+Inf"} 3)",
             R"(test_observed_escaped{value="a\"b\\c\nd"} 1.5)",
         }) {
        CHECK_MESSAGE(has_line(text, line), line);
    }
    CHECK(text.find("# TYPE nb_runs_total") == text.rfind("# TYPE nb_runs_total"));
    CHECK(text.find("Taken by nb-host") == std::string::npos);
    CHECK(text.find("nb_broker_") == std::string::npos);
    CHECK(text.find("nb_access_log_") == std::string::npos);  // no --access-log
    const auto [code, said] = promtool(text, setup.dir.path());
    CHECK_MESSAGE(code == 0, said);

    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
    const std::string warning = "nb-host: warning: plugin \"" + fs::canonical(setup.plugins / "test_observed.so").string() +
                                "\": metric family \"nb_runs_total\": family dropped: its name is already used "
                                "by a counter family";
    const std::string err = host.all_stderr();
    CHECK(err.find(warning) != std::string::npos);
    CHECK(err.find(warning) == err.rfind(warning));  // once, however many scrapes
}

TEST_CASE("--admin: /healthz 200 at once; /readyz 503 naming the listeners until every event source started") {
    Setup setup;
    setup.gate = setup.dir / "gate";
    nb::test::NbHost host(setup.run_args({"--admin", setup.admin()}));
    CHECK(host.read_line() == "admin: http://" + setup.admin() + "/metrics");
    const auto health = get(setup.admin_port, "/healthz");
    CHECK(health.status == 200);
    CHECK(health.body == R"({"status":"ok"})");
    const auto waiting = get(setup.admin_port, "/readyz");
    CHECK(waiting.status == 503);
    CHECK(waiting.body == R"({"status":"not ready","checks":{"listeners":"not every event source has started )"
                          R"(listening","journal":"ok"}})");
    nb::test::write_file(setup.gate, "");
    wait_listening(host, "hook");
    const auto ready = get(setup.admin_port, "/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.body == R"({"status":"ready","checks":{"listeners":"ok","journal":"ok"}})");
    CHECK(get(setup.admin_port, "/nothing").status == 404);
    host.signal(SIGINT);
    CHECK(host.wait_for_exit(10s) == 0);
}

TEST_CASE("--admin: /readyz 503 naming the journal while its commits fail (a file size limit); ready after one "
          "succeeds") {
    Setup setup;
    const fs::path journal = setup.dir / "obs.journal";
    nb::test::NbHost host(setup.run_args({"--admin", setup.admin(), "--journal", journal.string()}));
    wait_listening(host, "hook");
    CHECK(post(setup.hook_port, "before") == 200);

    // As a full disk would: no journal file may grow past its size now.
    std::uintmax_t largest = 0;
    for (const char *suffix : {"", "-wal"}) largest = std::max(largest, fs::file_size(journal.string() + suffix));
    rlimit before{};
    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, nullptr, &before) == 0);
    rlimit limit{largest, before.rlim_max};
    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, &limit, nullptr) == 0);
    CHECK(post(setup.hook_port, std::string(64 * 1024, 'x')) == 503);
    const auto failing = get(setup.admin_port, "/readyz");
    CHECK(failing.status == 503);
    const auto checks = Poco::JSON::Parser().parse(failing.body).extract<Poco::JSON::Object::Ptr>()->getObject("checks");
    CHECK(checks->getValue<std::string>("listeners") == "ok");
    CHECK(checks->getValue<std::string>("journal") == "the journal could not commit: disk I/O error");

    REQUIRE(::prlimit(host.pid(), RLIMIT_FSIZE, &before, nullptr) == 0);
    CHECK(post(setup.hook_port, "after") == 200);
    CHECK(get(setup.admin_port, "/readyz").status == 200);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
}

TEST_CASE("--admin with --broker: /readyz 503 naming the broker while Redis is down; the reconnect is counted") {
    Setup setup;
    nb::test::RedisServer redis;
    nb::test::NbHost host(setup.run_args({"--admin", setup.admin(), "--broker", redis.url(), "--reconnect-max", "100ms"}));
    wait_listening(host, "hook");
    CHECK(get(setup.admin_port, "/readyz").body ==
          R"({"status":"ready","checks":{"listeners":"ok","broker":"ok"}})");
    redis.kill9();
    CHECK(post(setup.hook_port, "lost") == 503);  // the ingest finds Redis gone
    const auto down = get(setup.admin_port, "/readyz");
    CHECK(down.status == 503);
    const auto checks = Poco::JSON::Parser().parse(down.body).extract<Poco::JSON::Object::Ptr>()->getObject("checks");
    CHECK(checks->getValue<std::string>("broker").rfind("Redis at 127.0.0.1:" + std::to_string(redis.port()) +
                                                        " is unreachable: ", 0) == 0);
    redis.start();
    REQUIRE(eventually([&] { return get(setup.admin_port, "/readyz").status == 200; }, 10s));
    CHECK(eventually([&] { return post(setup.hook_port, "back") == 200; }, 10s));
    const std::string text = get(setup.admin_port, "/metrics").body;
    CHECK(text.find("\nnb_broker_reconnects_total ") != std::string::npos);
    CHECK(!has_line(text, "nb_broker_reconnects_total 0"));
    CHECK(text.find("\nnb_broker_commit_events_count ") != std::string::npos);
    CHECK(text.find("nb_journal_") == std::string::npos);
    const auto [code, said] = promtool(text, setup.dir.path());
    CHECK_MESSAGE(code == 0, said);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(20s) == 0);
}

TEST_CASE("--access-log: one JSON line per record; SIGHUP after a rename reopens it; both files hold valid lines") {
    Setup setup;
    const fs::path log = setup.dir / "access.log";
    const fs::path rotated = setup.dir / "access.log.1";
    nb::test::NbHost host(setup.run_args({"--access-log", log.string(), "--admin", setup.admin()}));
    wait_listening(host, "hook");
    setup.send_records({"/one", "-"});
    REQUIRE(eventually([&] { return json_lines(log).size() == 2; }, 10s));
    fs::rename(log, rotated);
    setup.send_records({"/two"});  // written to the renamed file until SIGHUP
    REQUIRE(eventually([&] { return json_lines(rotated).size() == 3; }, 10s));
    host.signal(SIGHUP);
    REQUIRE(eventually([&] { return fs::exists(log); }, 10s));  // reopened by name
    setup.send_records({"/three", "/four"});
    REQUIRE(eventually([&] { return json_lines(log).size() == 2; }, 10s));

    const auto old_lines = json_lines(rotated);
    CHECK(old_lines[0]->getValue<std::string>("node") == "watch");
    CHECK(old_lines[0]->getValue<std::string>("path") == "/one");
    CHECK(old_lines[0]->getValue<std::string>("client") == "127.0.0.1:4242");
    CHECK(old_lines[0]->getValue<int>("status") == 200);
    CHECK(old_lines[0]->getValue<std::string>("delivery_id") == "d-1");
    CHECK(old_lines[0]->isNull("refusal"));
    CHECK(old_lines[1]->isNull("node"));
    CHECK(old_lines[1]->getValue<std::string>("refusal") == "signature");
    CHECK(old_lines[2]->getValue<std::string>("path") == "/two");
    const auto new_lines = json_lines(log);
    CHECK(new_lines[0]->getValue<std::string>("path") == "/three");
    CHECK(new_lines[1]->getValue<std::string>("path") == "/four");

    const std::string text = get(setup.admin_port, "/metrics").body;
    CHECK(has_line(text, "nb_access_log_lines_total 5"));
    CHECK(has_line(text, "nb_access_log_dropped_total 0"));
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(10s) == 0);
}

TEST_CASE("--admin on a port in use, --access-log in a missing folder: exit 1 saying why") {
    Setup setup;
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::string address = "127.0.0.1:" + std::to_string(taken.address().port());
    const auto in_use = nb::test::run_nb_host(setup.run_args({"--admin", address}));
    CHECK(in_use.code == 1);
    CHECK(in_use.err == "nb-host: error: --admin " + address + ": port " + std::to_string(taken.address().port()) +
                            " is in use by another program\n");
    CHECK(in_use.out.empty());

    const fs::path missing = setup.dir / "no" / "access.log";
    const auto no_folder = nb::test::run_nb_host(setup.run_args({"--access-log", missing.string()}));
    CHECK(no_folder.code == 1);
    CHECK(no_folder.err == "nb-host: error: --access-log: cannot open " + missing.string() +
                               ": No such file or directory\n");

    const auto usage = nb::test::run_nb_host(setup.run_args({"--admin", "9464"}));
    CHECK(usage.code == 2);
    CHECK(usage.err.rfind("nb-host: --admin needs ADDR:PORT", 0) == 0);
}
