// The template plugins of examples/, loaded by the real nb-host from their
// build folders and run in a workflow: webhook -> template node -> file.
#include <doctest/doctest.h>

#include <string>

#include <net_helpers.hpp>

#include "helpers.hpp"
#include "process.hpp"

using namespace std::chrono_literals;

namespace {

// The template's build folder; the webhook and basic plugins come from
// NB_PLUGIN_PATH, as in every host test.
std::string template_dir(const std::string &type) {
    return std::string(NB_EXAMPLES_BUILD_DIR) + (type == "example.upper_c" ? "/c" : "/cpp");
}

// webhook on `port` -> `type` (with `widgets`, a JSON object) -> file_append to `sink`.
std::string template_workflow(std::uint16_t port, const std::string &type, const std::string &widgets,
                              const std::string &sink) {
    return R"({"name": "template", "nodes": [
        {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(port) + R"(, "path": "/in"}},
        {"id": "upper", "type": ")" + type + R"(", "widgets": )" + widgets + R"(},
        {"id": "sink", "type": "basic.file_append", "widgets": {"file": ")" + sink + R"("}}],
      "edges": [{"from": "hook.received_data", "to": "upper.text"},
                {"from": "upper.text", "to": "sink.text"}]})";
}

// Runs the workflow, POSTs `body` once, stops nb-host; the sink's content.
std::string run_once(const std::string &type, const std::string &widgets, const std::string &body) {
    nb::test::TempDir dir;
    const std::uint16_t port = nb::test::free_port();
    nb::test::write_file(dir / "wf.json", template_workflow(port, type, widgets, (dir / "sink.txt").string()));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--plugin-dir", template_dir(type)});
    REQUIRE(host.read_line() == "listening: http://0.0.0.0:" + std::to_string(port) + "/in (node hook)");
    nb::test::HttpRequest request;
    request.target = "/in";
    request.body = body;
    CHECK(nb::test::http_request(port, request).status == 200);
    // The 200 comes before the run: stopping sooner would rightly say that
    // nb-host waits for it.
    const auto sink = dir / "sink.txt";
    CHECK(nb::test::eventually([&] { return !nb::test::read_file(sink).empty(); }, 10s));
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(5s) == 0);
    CHECK(host.all_stderr() == "");
    return nb::test::read_file(sink);
}

}  // namespace

TEST_CASE("the C template upper-cases a POSTed body after its default prefix, UTF-8 intact") {
    CHECK(run_once("example.upper_c", "{}", "hello, wörld") == "> HELLO, WöRLD\n");
}

TEST_CASE("the C++ template upper-cases a POSTed body after the prefix the workflow sets") {
    CHECK(run_once("example.upper_cpp", R"({"prefix": "cpp: "})", "hello, wörld") == "cpp: HELLO, WöRLD\n");
}

TEST_CASE("both templates refuse a prefix over 64 bytes, and nb-host check names node and widget") {
    for (const std::string type : {"example.upper_c", "example.upper_cpp"}) {
        CAPTURE(type);
        nb::test::TempDir dir;
        const std::string prefix(65, 'p');
        nb::test::write_file(dir / "wf.json", template_workflow(nb::test::free_port(), type,
                                                                R"({"prefix": ")" + prefix + R"("})",
                                                                (dir / "sink.txt").string()));
        const auto checked = nb::test::run_nb_host({"check", (dir / "wf.json").string(), "--plugin-dir",
                                                    template_dir(type)});
        CHECK(checked.code == 1);
        CHECK(checked.out == "");
        CHECK(checked.err.find("node \"upper\" (" + type + "): widget \"prefix\" refused \"") !=
              std::string::npos);
        CHECK(checked.err.find("\": prefix must be at most 64 bytes (got 65)\n") != std::string::npos);
    }
}
