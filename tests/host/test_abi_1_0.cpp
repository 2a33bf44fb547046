#include <doctest/doctest.h>

#include <sstream>

#include <cli/listening_lines.hpp>
#include <plugins/abi_extensions.hpp>

#include "async_nodes.hpp"
#include "helpers.hpp"
#include "source_plugin.hpp"

using namespace nb::host;

// tests/host/fixtures/test_plugin.c is a 1.0 plugin: built with
// NB_VERSION_MINOR 0, its node instances end where a PROT_NONE page begins,
// so reading a 1.1 field of one would crash this test.
TEST_CASE("a 1.0 plugin loads, runs a workflow and is asked for what nb-host asks, without a crash") {
    nb::test::TempDir dir;
    const auto sink = dir / "sink.txt";
    PluginSet plugins;
    std::ostringstream warnings, log;
    nb::test::load_test_plugins_and_source(plugins, warnings);
    const NodeType *type = plugins.find("test.source");
    REQUIRE(type);
    CHECK(type->library->entry().abi.minor == 0);
    CHECK(type->library->extension(NB_EXT_LISTEN_ADDRESS) == nullptr);

    Host host(log);
    const std::string json = R"({"nodes": [
        {"id": "src", "type": "test.source"},
        {"id": "out", "type": "basic.file_append", "widgets": {"file": ")" + sink.string() + R"("}}],
      "edges": [{"from": "src.received_data", "to": "out.text"}]})";
    host.start_runs(build_workflow(parse_workflow(json, "wf.json"), plugins, host.abi()), 1, 16);
    host.listen();
    const nb_node_t &src = *host.workflow().nodes[0].instance;
    CHECK(src.abi.minor == 0);
    CHECK(node_extension(src, NB_EXT_LISTEN_ADDRESS) == nullptr);
    std::ostringstream lines;
    print_listening(host.listening(), lines);
    CHECK(lines.str() == "listening: (node src) started, no address reported\n");

    // Its runs, through the 1.0 trigger it knows and through submit (as a
    // 1.1 source of another plugin would), both run it.
    const nb_event_t first{NB_VERSION_INIT, "POST", "/", "one", 3, "{}", 2, "{}", 2, "", nullptr};
    CHECK(host.abi().trigger(&host.abi(), &src, &first) == NB_TRIGGER_ACCEPTED);
    nb::test::Outcome outcome;
    const nb_event_t second{NB_VERSION_INIT, "POST", "/", "two", 3, "{}", 2, "{}", 2, "", nullptr};
    nb::test::async_trigger(host).submit(&host.abi(), &src, &second, NB_SUBMIT_AWAIT_RUN, outcome.sink());
    const auto told = outcome.wait();
    REQUIRE(told);
    CHECK(told->kind == NB_OUTCOME_FINISHED);
    host.shutdown();
    CHECK(nb::test::read_file(sink) == "one\ntwo\n");
    CHECK(log.str().empty());
}
