#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <cli/listening_lines.hpp>
#include <cli/option_values.hpp>
#include <cli/options.hpp>
#include <observe/utc_time.hpp>

#include "helpers.hpp"
#include "process.hpp"

namespace fs = std::filesystem;
using nb::test::run_nb_host;

TEST_CASE("nb-host check accepts a good workflow and refuses a bad one with exit 1") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "good.json", R"({"nodes": [{"id": "hook", "type": "events.webhook"},
        {"id": "a", "type": "basic.log"}], "edges": [{"from": "hook.received_data", "to": "a.text"}]})");
    const auto good = run_nb_host({"check", (dir / "good.json").string()});
    CHECK(good.code == 0);
    CHECK(good.out.find("ok: ") == 0);

    nb::test::write_file(dir / "bad.json", R"({"nodes": [
        {"id": "out", "type": "basic.file_append", "widgets": {"file": "x", "format": "xml"}}]})");
    const auto bad = run_nb_host({"check", (dir / "bad.json").string()});
    CHECK(bad.code == 1);
    CHECK(bad.err.find("bad.json: node \"out\" (basic.file_append): widget \"format\"") != std::string::npos);
    CHECK(bad.err.find("must be one of: text, json") != std::string::npos);

    nb::test::write_file(dir / "broken.json", "{\n  \"nodes\": [\n}");
    const auto broken = run_nb_host({"check", (dir / "broken.json").string()});
    CHECK(broken.code == 1);
    CHECK(broken.err.find("broken.json: invalid JSON at line 3, column 1") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with the usage on stderr") {
    for (const auto &args : std::vector<std::vector<std::string>>{
             {}, {"frobnicate"}, {"run"}, {"describe"}, {"run", "w.json", "--workers", "0"},
             {"check", "w.json", "--queue", "5"}, {"nodes", "extra"}}) {
        const auto result = run_nb_host(args);
        CAPTURE(result.err);
        CHECK(result.code == 2);
        CHECK(result.err.find("usage: nb-host run WORKFLOW.json") != std::string::npos);
    }
    CHECK(run_nb_host({"--help"}).code == 0);
}

namespace {

nb::host::Options run_with(std::vector<std::string> options) {
    options.insert(options.begin(), {"run", "w.json"});
    return nb::host::parse_options(options);
}

// The UsageError `args` get; "" when they are accepted.
std::string refusal(const std::vector<std::string> &args) {
    try {
        nb::host::parse_options(args);
    } catch (const nb::host::UsageError &e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a duration is written back in the largest unit that divides it exactly") {
    using std::chrono::milliseconds;
    using nb::host::format_duration;
    CHECK(format_duration(milliseconds(30'000)) == "30s");
    CHECK(format_duration(milliseconds(90'000)) == "90s");
    CHECK(format_duration(milliseconds(1500)) == "1500ms");
    CHECK(format_duration(milliseconds(120'000)) == "2m");
    CHECK(format_duration(milliseconds(86'400'000)) == "1d");
    CHECK(format_duration(milliseconds(0)) == "0ms");
    for (const char *text : {"500ms", "30s", "2m", "3h", "7d"}) {
        CAPTURE(text);
        CHECK(format_duration(*nb::host::parse_duration(text)) == text);
    }
}

TEST_CASE("durations take a whole number and a unit, sizes an optional binary or SI unit") {
    using std::chrono::milliseconds;
    using nb::host::parse_duration;
    using nb::host::parse_size;
    CHECK(parse_duration("500ms") == milliseconds(500));
    CHECK(parse_duration("30s") == milliseconds(30'000));
    CHECK(parse_duration("2m") == milliseconds(120'000));
    CHECK(parse_duration("3h") == milliseconds(10'800'000));
    CHECK(parse_duration("7d") == milliseconds(604'800'000));
    CHECK(parse_duration("0s") == milliseconds(0));
    for (const char *bad : {"", "7", "s", "-1s", "+1s", " 1s", "1 s", "1.5s", "1S", "1sec", "1ms5",
                            "9223372036854775807s", "0x10s"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration(bad));
    }
    CHECK(parse_size("512") == 512u);
    CHECK(parse_size("512B") == 512u);
    CHECK(parse_size("2KiB") == 2048u);
    CHECK(parse_size("3MiB") == 3u << 20);
    CHECK(parse_size("1GiB") == 1u << 30);
    CHECK(parse_size("2kB") == 2000u);
    CHECK(parse_size("3MB") == 3'000'000u);
    CHECK(parse_size("5GB") == 5'000'000'000u);
    for (const char *bad : {"", "B", "1K", "1KB", "1kiB", "1gib", "1 MiB", "-1", "1.5GiB", "1TiB",
                            "9223372036854775807GB"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_size(bad));
    }
}

TEST_CASE("UTC times read and print as ISO 8601 with a Z, milliseconds optional on input") {
    using nb::host::format_utc_time;
    using nb::host::parse_utc_time;
    CHECK(parse_utc_time("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_utc_time("2026-12-03T10:00:00Z") == 1'796'292'000'000);
    CHECK(parse_utc_time("2024-02-29T23:59:59.999Z") == 1'709'251'199'999);
    CHECK(format_utc_time(1'796'292'000'250) == "2026-12-03T10:00:00.250Z");
    CHECK(format_utc_time(0) == "1970-01-01T00:00:00.000Z");
    for (const char *bad : {"2026-12-03", "2026-12-03T10:00:00", "2026-12-03 10:00:00Z",
                            "2026-12-03T10:00:00+01:00", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                            "2026-12-03T24:00:00Z", "2026-12-03T10:00:00.5Z", "2026-12-03T10:00:60Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_utc_time(bad));
    }
}

TEST_CASE("run's journal, retry and queue options default as documented and take good values") {
    using namespace std::chrono_literals;
    const nb::host::Options defaults = run_with({});
    CHECK(defaults.journal.empty());
    CHECK_FALSE(defaults.journal_off);
    CHECK(defaults.journal_sync == nb::host::JournalSync::full);
    CHECK(defaults.journal_keep == 7 * 24h);
    CHECK(defaults.journal_max == 1u << 30);
    CHECK(defaults.journal_poll == 1s);
    CHECK(defaults.retries == 0);
    CHECK(defaults.retry_delay == 1s);
    CHECK(defaults.queue_bytes == 256u << 20);

    const nb::host::Options set = run_with(
        {"--journal", "/tmp/j.journal", "--journal-sync", "normal", "--journal-keep", "36h",
         "--journal-max", "64MiB", "--journal-poll", "250ms", "--retries", "3", "--retry-delay", "2s",
         "--queue-bytes", "10MB"});
    CHECK(set.journal == "/tmp/j.journal");
    CHECK_FALSE(set.journal_off);
    CHECK(set.journal_sync == nb::host::JournalSync::normal);
    CHECK(set.journal_keep == 36h);
    CHECK(set.journal_max == 64u << 20);
    CHECK(set.journal_poll == 250ms);
    CHECK(set.retries == 3);
    CHECK(set.retry_delay == 2s);
    CHECK(set.queue_bytes == 10'000'000u);

    const nb::host::Options off = run_with({"--journal", "off"});
    CHECK(off.journal_off);
    CHECK(off.journal.empty());
    CHECK(run_with({"--journal", "off", "--journal", "j"}).journal_off == false);
    CHECK(run_with({"--retries", "100"}).retries == 100);
    CHECK(run_with({"--journal-keep", "0s"}).journal_keep == 0ms);
}

TEST_CASE("a bad value of a new run option is refused naming the option and the value") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"--journal", ""},          {"--journal-sync", "fast"},   {"--journal-sync", "FULL"},
        {"--journal-keep", "7"},    {"--journal-keep", "7days"},  {"--journal-keep", "-1d"},
        {"--journal-max", "1TiB"},  {"--journal-max", "0"},       {"--journal-max", "1G"},
        {"--journal-poll", "0ms"},  {"--journal-poll", "1.5s"},   {"--retries", "-1"},
        {"--retries", "101"},       {"--retries", "x"},           {"--retry-delay", "1"},
        {"--retry-delay", "1 s"},   {"--queue-bytes", "0B"},      {"--queue-bytes", "256 MiB"},
        {"--queue-bytes", "1e6"}};
    for (const auto &[option, value] : bad) {
        const std::string message = refusal({"run", "w.json", option, value});
        CAPTURE(message);
        CHECK(message.find(option + " needs") == 0);
        CHECK(message.find("got \"" + value + "\"") != std::string::npos);
    }
    for (const std::string option : {"--journal", "--journal-sync", "--journal-keep", "--journal-max",
                                     "--journal-poll", "--retries", "--retry-delay", "--queue-bytes"}) {
        CHECK(refusal({"run", "w.json", option}) == option + " needs a value");
        CHECK(refusal({"check", "w.json", option, "1"}) == "unknown option " + option + " for check");
    }
    const auto result = run_nb_host({"run", "w.json", "--journal-keep", "7"});
    CHECK(result.code == 2);
    CHECK(result.err.find("--journal-keep needs a DURATION") != std::string::npos);
    CHECK(result.err.find("usage: nb-host run WORKFLOW.json") != std::string::npos);
}

TEST_CASE("the default journal is NAME.journal under XDG_STATE_HOME when absolute, else ~/.local/state") {
    const std::string saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
    const char *saved_xdg = std::getenv("XDG_STATE_HOME");
    const std::string saved_xdg_value = saved_xdg ? saved_xdg : "";
    const nb::host::Options o = run_with({});
    ::setenv("HOME", "/home/ada", 1);
    ::setenv("XDG_STATE_HOME", "/var/state", 1);
    CHECK(journal_path_for(o, "orders") == "/var/state/nb-host/orders.journal");
    CHECK(journal_path_for(o, "a b/c\\é.x-y_z") == "/var/state/nb-host/a_b_c___.x-y_z.journal");
    CHECK(journal_path_for(o, "") == "/var/state/nb-host/w.journal");  // w.json has no name
    ::setenv("XDG_STATE_HOME", "relative/state", 1);
    CHECK(journal_path_for(o, "orders") == "/home/ada/.local/state/nb-host/orders.journal");
    ::unsetenv("XDG_STATE_HOME");
    CHECK(journal_path_for(o, "orders") == "/home/ada/.local/state/nb-host/orders.journal");
    CHECK(journal_path_for(run_with({"--journal", "mine.db"}), "orders") == "mine.db");
    ::unsetenv("HOME");
    CHECK_THROWS_AS(journal_path_for(o, "orders"), nb::host::UsageError);
    ::setenv("HOME", saved_home.c_str(), 1);
    if (saved_xdg) ::setenv("XDG_STATE_HOME", saved_xdg_value.c_str(), 1);
}

TEST_CASE("describe of an unknown node type exits 1 naming it") {
    const auto result = run_nb_host({"describe", "basic.nope"});
    CHECK(result.code == 1);
    CHECK(result.err.find("unknown node type \"basic.nope\"") != std::string::npos);
}

TEST_CASE("manifests/nodes holds exactly what nb-host describe prints, one per node type") {
    const fs::path manifests = fs::path(NB_SOURCE_DIR) / "manifests" / "nodes";
    std::vector<std::string> manifest_types;
    for (const auto &item : fs::directory_iterator(manifests)) {
        const std::string type = item.path().stem().string();
        manifest_types.push_back(type);
        const auto described = run_nb_host({"describe", type});
        CAPTURE(type);
        CHECK(described.code == 0);
        CHECK(described.out == nb::test::read_file(item.path()));
    }
    const auto nodes = run_nb_host({"nodes"});
    std::istringstream lines(nodes.out);
    for (std::string line; std::getline(lines, line);) {
        const std::string type = line.substr(0, line.find('\t'));
        CAPTURE(type);
        CHECK(std::find(manifest_types.begin(), manifest_types.end(), type) != manifest_types.end());
    }
}

TEST_CASE("every example workflow under manifests/workflows passes check") {
    for (const auto &item : fs::directory_iterator(fs::path(NB_SOURCE_DIR) / "manifests" / "workflows")) {
        const auto result = run_nb_host({"check", item.path().string()});
        CAPTURE(result.err);
        CHECK(result.code == 0);
    }
}

namespace {

const fs::path fixtures = TEST_FIXTURE_DIR;

// A --plugin-dir holding copies of the named fixture plugins.
struct PluginDir {
    nb::test::TempDir dir;
    explicit PluginDir(const std::vector<std::string> &plugins) {
        for (const auto &name : plugins) fs::copy_file(fixtures / name, dir / name);
    }
    std::string path() const { return dir.path().string(); }
    std::string file(const std::string &name) const { return fs::canonical(dir / name).string(); }
};

bool has_line(const std::string &text, const std::string &line) {
    const auto lines = nb::test::lines_of(text);
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("nodes warns about a node type of another ABI major, naming plugin and type, and lists the rest") {
    PluginDir plugins({"test_node_bad_abi.so"});
    const auto result = run_nb_host({"nodes", "--plugin-dir", plugins.path()});
    CAPTURE(result.err);
    CHECK(result.code == 0);
    CHECK(has_line(result.err, "nb-host: warning: plugin \"" + plugins.file("test_node_bad_abi.so") +
                                   "\": skipping node type \"test.source\": incompatible ABI 2.0.0 (host speaks 1.x)"));
    CHECK(result.out.find("test.source") == std::string::npos);
    CHECK(result.out.find("basic.log\t") != std::string::npos);
}

TEST_CASE("nodes shows the file providing each type; a later plugin's same type is shadowed with a warning") {
    PluginDir first({"test_good.so"}), later({"test_other_source.so"});
    const auto result = run_nb_host({"nodes", "--plugin-dir", first.path(), "--plugin-dir", later.path()});
    CAPTURE(result.err);
    CHECK(result.code == 0);
    CHECK(has_line(result.out, "test.source\t1.0.0\tTest Source\t" + first.file("test_good.so")));
    CHECK(has_line(result.err, "nb-host: warning: node type \"test.source\" of \"" +
                                   later.file("test_other_source.so") + "\" is shadowed by \"" +
                                   first.file("test_good.so") + "\", found earlier in the plugin search path"));
}

TEST_CASE("run and check refuse, exit 1, a node type two plugins of one --plugin-dir provide, naming both") {
    PluginDir plugins({"test_good.so", "test_other_source.so"});
    nb::test::TempDir dir;
    nb::test::write_file(dir / "wf.json", R"({"nodes": [{"id": "src", "type": "test.source"}]})");
    for (const char *command : {"check", "run"}) {
        const auto result = run_nb_host({command, (dir / "wf.json").string(), "--plugin-dir", plugins.path()});
        CAPTURE(command);
        CAPTURE(result.err);
        CHECK(result.code == 1);
        CHECK(has_line(result.err, "nb-host: error: " + (dir / "wf.json").string() +
                                       ": node \"src\": node type \"test.source\" is ambiguous: \"" +
                                       plugins.file("test_good.so") + "\" and \"" +
                                       plugins.file("test_other_source.so") +
                                       "\" in one plugin folder both provide it; remove one"));
    }
}

TEST_CASE("check and run refuse a node no event source reaches and an unconnected input, naming them") {
    PluginDir plugins({"test_good.so", "test_faulty.so"});
    nb::test::TempDir dir;
    nb::test::write_file(dir / "unreached.json", R"({"nodes": [{"id": "hook", "type": "events.webhook"},
        {"id": "show", "type": "basic.log"}, {"id": "lost", "type": "basic.log"}],
        "edges": [{"from": "hook.received_data", "to": "show.text"}]})");
    nb::test::write_file(dir / "unconnected.json", R"({"nodes": [{"id": "src", "type": "test.source"},
        {"id": "join", "type": "test.join"}], "edges": [{"from": "src.received_data", "to": "join.b"}]})");
    const std::pair<std::string, std::string> cases[] = {
        {"unreached.json", "node \"lost\" (basic.log) would never run: no event source reaches it through edges"},
        {"unconnected.json",
         "node \"join\" (test.join): input \"a\" is not connected; every input of a node needs an edge"}};
    for (const auto &[file, refusal] : cases) {
        for (const char *command : {"check", "run"}) {
            const auto result = run_nb_host({command, (dir / file).string(), "--plugin-dir", plugins.path()});
            CAPTURE(command);
            CAPTURE(result.err);
            CHECK(result.code == 1);
            CHECK(has_line(result.err, "nb-host: error: " + (dir / file).string() + ": " + refusal));
        }
    }
}

namespace {

// A started event source offering NB_EXT_LISTEN_ADDRESS with two addresses,
// the second one IPv6, and get refusing index 2 (count says 3: a lying node
// is skipped, not trusted).
struct ListeningNode {
    static constexpr nb_listen_address_t addresses[] = {{"http", "0.0.0.0", 8181, "/hook"},
                                                        {"https", "::1", 8443, "/secure"}};
    static uint32_t count(const nb_node_t *) { return 3; }
    static bool get(const nb_node_t *, uint32_t index, nb_listen_address_t *out) {
        if (index >= 2) return false;
        *out = addresses[index];
        return true;
    }
    static constexpr nb_node_listen_address_t listen{count, get};
    static const void *get_extension(const nb_node_t *, const char *id) {
        return std::string(id) == NB_EXT_LISTEN_ADDRESS ? &listen : nullptr;
    }
    static void destroy(const nb_node_t *) {}  // the test owns it
    nb_node_t node{NB_VERSION_INIT, nullptr, nullptr, destroy, nullptr, nullptr, nullptr, nullptr,
                   nullptr, nullptr, get_extension};
};

}  // namespace

TEST_CASE("listening lines come from each source's listen address extension, or say it has none") {
    ListeningNode listening;
    nb_node_t silent = listening.node;
    silent.get_extension = nullptr;  // 1.1, no extensions at all
    using nb::host::WorkflowNode;
    WorkflowNode hook{"hook", nullptr, nb::host::NodeInstance(&listening.node)};
    WorkflowNode quiet{"quiet", nullptr, nb::host::NodeInstance(&silent)};
    std::ostringstream out;
    nb::host::print_listening({&hook, &quiet}, out);
    CHECK(out.str() ==
          "listening: http://0.0.0.0:8181/hook (node hook)\n"
          "listening: https://[::1]:8443/secure (node hook)\n"
          "listening: (node quiet) started, no address reported\n");
}
