// nb-host's observability pieces on their own: the Prometheus text (checked
// by the real promtool), the admin routes, the access log's buffer and lines,
// and the options that turn them on.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>

#include <cli/options.hpp>
#include <observe/access_log.hpp>
#include <observe/admin_routes.hpp>
#include <observe/exposition.hpp>
#include <observe/instruments.hpp>

#include "helpers.hpp"

namespace fs = std::filesystem;
using nb::host::Exposition;
using nb::host::MetricKind;

namespace {

// promtool check metrics's verdict on `text`: its exit code and what it said.
std::pair<int, std::string> promtool(const std::string &text) {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "metrics.txt", text);
    const std::string command = "promtool check metrics < " + (dir / "metrics.txt").string() + " 2>&1";
    FILE *pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string said;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) said.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WEXITSTATUS(status), said};
}

nb::net::RequestHead head(const std::string &method, const std::string &target) {
    nb::net::RequestHead head;
    head.method = method;
    head.target = target;
    return head;
}

nb_access_record_t sample_record(const char *path, const char *delivery_id = "", const char *refusal = "") {
    return {"127.0.0.1:5000", "POST", path, 8181, 200, 12, 1'500'000, delivery_id, refusal};
}

}  // namespace

TEST_CASE("exposition: families with HELP and TYPE once, escaped labels, cumulative histograms; promtool accepts it") {
    Exposition out;
    CHECK(out.family("nb_test_total", MetricKind::counter, "Things counted\nwith a \\ in the help") == "");
    CHECK(out.value({{"node", "a\"b\\c\nd"}, {"code", "200"}}, 3) == "");
    CHECK(out.value({{"node", "plain"}, {"code", "404"}}, 1) == "");
    CHECK(out.family("nb_test_seconds", MetricKind::histogram, "Durations") == "");
    const double bounds[] = {0.001, 0.5};
    const std::uint64_t counts[] = {2, 0, 1};
    CHECK(out.histogram({{"node", "n"}}, bounds, counts, 2, 1.25) == "");
    CHECK(out.family("nb_test_level", MetricKind::gauge, "A level") == "");
    CHECK(out.value({}, 0.1) == "");
    CHECK(out.text() ==
          "# HELP nb_test_total Things counted\\nwith a \\\\ in the help\n"
          "# TYPE nb_test_total counter\n"
          "nb_test_total{node=\"a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
          "nb_test_total{node=\"plain\",code=\"404\"} 1\n"
          "# HELP nb_test_seconds Durations\n"
          "# TYPE nb_test_seconds histogram\n"
          "nb_test_seconds_bucket{node=\"n\",le=\"0.001\"} 2\n"
          "nb_test_seconds_bucket{node=\"n\",le=\"0.5\"} 2\n"
          "nb_test_seconds_bucket{node=\"n\",le=\"+Inf\"} 3\n"
          "nb_test_seconds_sum{node=\"n\"} 1.25\n"
          "nb_test_seconds_count{node=\"n\"} 3\n"
          "# HELP nb_test_level A level\n"
          "# TYPE nb_test_level gauge\n"
          "nb_test_level 0.1\n");
    const auto [code, said] = promtool(out.text());
    CHECK_MESSAGE(code == 0, said);
}

TEST_CASE("exposition: the host's duration buckets print as Prometheus clients print them") {
    nb::host::DurationHistogram histogram{nb::kDurationBounds};
    histogram.observe(200'000);      // 0.2 ms
    histogram.observe(20'000'000'000);  // 20 s: +Inf only
    Exposition out;
    out.family("nb_test_duration_seconds", MetricKind::histogram, "Durations");
    nb::host::write_histogram(out, {}, histogram);
    const std::string text = out.text();
    CHECK(text.find("nb_test_duration_seconds_bucket{le=\"0.0001\"} 0\n") != std::string::npos);
    CHECK(text.find("nb_test_duration_seconds_bucket{le=\"0.00025\"} 1\n") != std::string::npos);
    CHECK(text.find("nb_test_duration_seconds_bucket{le=\"10\"} 1\n") != std::string::npos);
    CHECK(text.find("nb_test_duration_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
    CHECK(text.find("nb_test_duration_seconds_sum 20.0002\n") != std::string::npos);
    CHECK(text.find("nb_test_duration_seconds_count 2\n") != std::string::npos);
    const auto [code, said] = promtool(text);
    CHECK_MESSAGE(code == 0, said);
    CHECK(nb::host::metric_number(1.0 / 0.0) == "+Inf");
    CHECK(nb::host::metric_number(-1.0 / 0.0) == "-Inf");
    CHECK(nb::host::metric_number(0.0 / 0.0) == "NaN");
    CHECK(nb::host::metric_number(1e-9) == "1e-09");
    CHECK(nb::host::metric_number(123456789) == "123456789");
}

TEST_CASE("exposition: a taken or malformed family is refused with its samples; malformed samples are dropped") {
    Exposition out;
    out.family("nb_runs_total", MetricKind::counter, "The host's");
    out.value({}, 1);
    CHECK(out.family("nb_runs_total", MetricKind::gauge, "again") == "its name is already used by a counter family");
    CHECK(out.value({}, 99) == "no family accepted before it");
    CHECK(out.family("9starts_with_a_digit", MetricKind::gauge, "") ==
          "its name is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    CHECK(out.family("ok_level", MetricKind::gauge, "A level") == "");
    CHECK(out.value({{"bad-name", "x"}}, 1) == "malformed label name");
    CHECK(out.value({{"__reserved", "x"}}, 1) == "malformed label name");
    CHECK(out.value({{"a", "x"}, {"a", "y"}}, 1) == "a label named twice");
    CHECK(out.value({{"a", "x"}}, 1) == "");
    CHECK(out.value({{"b", "x"}}, 1) == "label names differ from the family's first sample");
    const double bounds[] = {1};
    const std::uint64_t counts[] = {0, 0};
    CHECK(out.histogram({}, bounds, counts, 1, 0) == "not a sample of a gauge");
    out.family("ok_seconds", MetricKind::histogram, "Durations");
    CHECK(out.histogram({{"le", "1"}}, bounds, counts, 1, 0) == "label le is the histogram's own");
    const double descending[] = {2, 1};
    const std::uint64_t three[] = {0, 0, 0};
    CHECK(out.histogram({}, descending, three, 2, 0) == "bucket bounds not ascending");
    CHECK(out.text().find("99") == std::string::npos);
    const auto [code, said] = promtool(out.text());
    CHECK_MESSAGE(code == 0, said);
}

TEST_CASE("admin routes: /metrics, /healthz, /readyz; HEAD too; 405 with Allow; 404") {
    std::vector<nb::host::ReadinessCheck> checks{{"listeners", ""}, {"journal", ""}};
    nb::host::AdminRoutes routes({[] { return std::string("# metrics\n"); }, [&] { return checks; }});

    const auto metrics = routes.answer(head("GET", "/metrics"));
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(metrics.body == "# metrics\n");
    CHECK(routes.answer(head("HEAD", "/metrics?x=1")).status == 200);

    const auto health = routes.answer(head("GET", "/healthz"));
    CHECK(health.status == 200);
    CHECK(health.body == R"({"status":"ok"})");

    CHECK(routes.answer(head("GET", "/readyz")).body ==
          R"({"status":"ready","checks":{"listeners":"ok","journal":"ok"}})");
    checks[1].problem = "the journal could not commit: disk I/O error";
    const auto not_ready = routes.answer(head("GET", "/readyz"));
    CHECK(not_ready.status == 503);
    CHECK(not_ready.body ==
          R"({"status":"not ready","checks":{"listeners":"ok","journal":"the journal could not commit: disk I/O error"}})");

    const auto post = routes.answer(head("POST", "/metrics"));
    CHECK(post.status == 405);
    CHECK(post.extra_headers == "Allow: GET, HEAD\r\n");
    CHECK(post.body == R"({"status":"error","error":"only GET or HEAD may be used on this path"})");
    const auto other = routes.answer(head("GET", "/metrics/"));
    CHECK(other.status == 404);
    CHECK(other.body == R"x({"status":"error","error":"no admin endpoint on this path (/metrics, /healthz, /readyz)"})x");
}

TEST_CASE("access log: one JSON line per record with every field; null node, delivery id and refusal") {
    nb::test::TempDir dir;
    std::ostringstream warnings;
    {
        nb::host::AccessLog log(dir / "access.log", 16, warnings);
        const std::string node = "hook";
        log.record(&node, sample_record("/in", "d-1"));
        log.record(nullptr, sample_record("/nowhere\"\n", "", "signature"));
        log.flush();
        CHECK(log.lines() == 2);
        CHECK(log.dropped() == 0);
    }
    const auto lines = nb::test::lines_of(nb::test::read_file(dir / "access.log"));
    REQUIRE(lines.size() == 2);
    const auto first = Poco::JSON::Parser().parse(lines[0]).extract<Poco::JSON::Object::Ptr>();
    const std::string time = first->getValue<std::string>("time");
    CHECK(time.size() == 24);
    CHECK(time.back() == 'Z');
    CHECK(lines[0].substr(lines[0].find(",\"node\"")) ==
          R"(,"node":"hook","client":"127.0.0.1:5000","method":"POST","path":"/in","port":8181,"status":200,)"
          R"("body_bytes":12,"duration_s":0.001500,"delivery_id":"d-1","refusal":null})");
    CHECK(lines[1].substr(lines[1].find(",\"node\"")) ==
          R"(,"node":null,"client":"127.0.0.1:5000","method":"POST","path":"/nowhere\"\n","port":8181,)"
          R"("status":200,"body_bytes":12,"duration_s":0.001500,"delivery_id":null,"refusal":"signature"})");
    CHECK((fs::status(dir / "access.log").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(warnings.str().empty());
}

TEST_CASE("access log: a full buffer drops and counts records instead of blocking; the rest is written") {
    // The log is a FIFO that nobody reads until the end: the writer blocks
    // in write() once the pipe is full, and the buffer then fills.
    nb::test::TempDir dir;
    const fs::path fifo = dir / "access.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(reader >= 0);
    std::ostringstream warnings;
    constexpr std::size_t kRecords = 20000;  // far more than the pipe and the buffer hold
    std::optional<nb::host::AccessLog> log;
    log.emplace(fifo, 8, warnings);
    const std::string node = "hook";
    for (std::size_t i = 0; i < kRecords; ++i) log->record(&node, sample_record("/in"));
    CHECK(log->dropped() > 0);
    std::string read;
    std::thread drain([&] {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(reader, buffer, sizeof buffer);
            if (n == 0) return;  // the log closed its end
            if (n > 0) {
                read.append(buffer, static_cast<std::size_t>(n));
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    });
    log->flush();
    const std::uint64_t lines = log->lines();
    CHECK(lines + log->dropped() == kRecords);
    nb::host::Exposition out;
    log->write_metrics(out);
    CHECK(out.text().find("nb_access_log_lines_total " + std::to_string(lines) + "\n") != std::string::npos);
    CHECK(out.text().find("nb_access_log_dropped_total " + std::to_string(kRecords - lines) + "\n") !=
          std::string::npos);
    log.reset();
    drain.join();
    CHECK(static_cast<std::uint64_t>(std::count(read.begin(), read.end(), '\n')) == lines);
    ::close(reader);
}

TEST_CASE("--admin, --access-log and --access-log-buffer: values and their errors") {
    using nb::host::parse_options;
    using nb::host::UsageError;
    const auto options = parse_options({"run", "wf.json", "--admin", "127.0.0.1:9464", "--access-log", "-",
                                        "--access-log-buffer", "3"});
    REQUIRE(options.admin);
    CHECK(options.admin->ip == "127.0.0.1");
    CHECK(options.admin->port == 9464);
    CHECK(options.admin->url() == "http://127.0.0.1:9464");
    CHECK(options.access_log == "-");
    CHECK(options.access_log_buffer == 3);
    CHECK(parse_options({"run", "wf.json", "--admin", "[::1]:9464"}).admin->url() == "http://[::1]:9464");
    CHECK(!parse_options({"run", "wf.json"}).admin);
    for (const char *bad : {"9464", "localhost:9464", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", ":9464",
                            "::1:9464", "[127.0.0.1]:9464", "127.0.0.1:94x"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse_options({"run", "wf.json", "--admin", bad}),
                             ("--admin needs ADDR:PORT (an IP address, in brackets for IPv6, and a port from 1 to "
                              "65535, e.g. 127.0.0.1:9464), got \"" + std::string(bad) + "\"").c_str(),
                             UsageError);
    }
    CHECK_THROWS_WITH_AS(parse_options({"run", "wf.json", "--admin"}), "--admin needs a value", UsageError);
    CHECK_THROWS_WITH_AS(parse_options({"run", "wf.json", "--access-log", ""}),
                         "--access-log needs a FILE or -, got \"\"", UsageError);
    CHECK_THROWS_WITH_AS(parse_options({"run", "wf.json", "--access-log-buffer", "10"}),
                         "--access-log-buffer needs --access-log", UsageError);
    CHECK_THROWS_WITH_AS(parse_options({"run", "wf.json", "--access-log", "x", "--access-log-buffer", "0"}),
                         "--access-log-buffer needs a whole number from 1 up, got \"0\"", UsageError);
    CHECK_THROWS_WITH_AS(parse_options({"check", "wf.json", "--admin", "127.0.0.1:9464"}),
                         "unknown option --admin for check", UsageError);
}
