#include <doctest/doctest.h>

#include <sstream>

#include <scheduling/graph_run.hpp>
#include <scheduling/host.hpp>
#include <workflow/workflow.hpp>

#include "helpers.hpp"

using namespace nb::host;

namespace {

// Basic nodes from NB_PLUGIN_PATH plus the test.source and test_faulty fixtures.
struct Fixture {
    PluginSet plugins;
    std::ostringstream log;
    Host host{log};

    Fixture() {
        std::ostringstream warnings;
        nb::test::load_test_plugins(plugins, warnings);
        plugins.load_file(std::filesystem::path(TEST_FIXTURE_DIR) / "test_good.so", warnings);
        plugins.load_file(std::filesystem::path(TEST_FIXTURE_DIR) / "test_faulty.so", warnings);
    }

    Workflow build(const std::string &json) {
        return build_workflow(parse_workflow(json, "wf.json"), plugins, host.abi());
    }

    // The refusal message for `json`, which must be refused.
    std::string refusal(const std::string &json) {
        try {
            build(json);
        } catch (const WorkflowError &e) {
            return e.what();
        }
        FAIL("workflow was accepted: " << json);
        return {};
    }
};

bool has(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

const std::string src = R"({"id": "src", "type": "test.source"})";
const std::string show = R"({"id": "show", "type": "basic.log"})";

std::string workflow(const std::string &nodes, const std::string &edges = "") {
    return R"({"name": "t", "nodes": [)" + nodes + R"(], "edges": [)" + edges + "]}";
}

}  // namespace

TEST_CASE("a valid workflow is built with its run plan") {
    Fixture f;
    const Workflow wf = f.build(workflow(
        src + "," + show + R"(, {"id": "get", "type": "basic.json_get", "widgets": {"pointer": "/a"}},
           {"id": "other", "type": "test.source"}, {"id": "alone", "type": "basic.log"})",
        R"({"from": "src.received_data", "to": "get.json"}, {"from": "get.value", "to": "show.text"},
           {"from": "other.received_data", "to": "alone.text"})"));
    REQUIRE(wf.nodes.size() == 5);
    CHECK(wf.nodes[0].is_event_source());
    // A run from src executes src, get, show in order and never the other source's node.
    CHECK(wf.runs_from[0] == std::vector<NodeIndex>{0, 2, 1});
    CHECK(std::string(wf.nodes[2].instance->get_widget(wf.nodes[2].instance.get(), "pointer")) == "/a");
}

TEST_CASE("the same graph runs in the same order whatever the order of its nodes in the file") {
    nb::test::TempDir dir;
    // src feeds two branches, a and b, each picking a field and appending it
    // to one file: the file shows which branch ran first.
    const auto node = [&](const std::string &id) {
        if (id == "src") return src;
        if (id.substr(1) == "_get") {  // a_get picks /a, b_get /b
            return R"({"id": ")" + id + R"(", "type": "basic.json_get", "widgets": {"pointer": "/)" +
                   id.substr(0, 1) + R"("}})";
        }
        return R"({"id": ")" + id + R"(", "type": "basic.file_append", "widgets": {"file": ")" +
               (dir / "order.txt").string() + R"("}})";
    };
    const std::string edges = R"({"from": "src.received_data", "to": "a_get.json"},
        {"from": "src.received_data", "to": "b_get.json"},
        {"from": "a_get.value", "to": "a_out.text"}, {"from": "b_get.value", "to": "b_out.text"})";
    const auto run_order = [&](const std::vector<std::string> &ids) {
        std::string nodes;
        for (const auto &id : ids) nodes += (nodes.empty() ? "" : ", ") + node(id);
        Fixture f;
        const Workflow wf = f.build(workflow(nodes, edges));
        std::filesystem::remove(dir / "order.txt");
        const std::string body = R"({"a": "a", "b": "b"})";
        const nb_event_t event{NB_VERSION_INIT, "POST", "/", body.data(), body.size(), "{}", 2, "{}", 2, "", nullptr};
        NodeIndex source = 0;
        while (wf.nodes[source].id != "src") ++source;
        CHECK(execute_run(wf, source, &event, 1).ok);
        return nb::test::read_file(dir / "order.txt");
    };
    // Ties between ready nodes break by id: a_get, then a_out (before b_get), then b.
    CHECK(run_order({"src", "b_get", "b_out", "a_get", "a_out"}) == "a\nb\n");
    CHECK(run_order({"a_out", "a_get", "src", "b_out", "b_get"}) == "a\nb\n");
}

TEST_CASE("workflow refusals name the file, the node or edge and what is allowed") {
    Fixture f;
    struct Case {
        const char *what;
        std::string json;
        std::vector<std::string> parts;
    };
    const Case cases[] = {
        {"bad JSON", "{\"nodes\": [\n  {\"id\": 1,}\n]}", {"wf.json: invalid JSON at line 2, column 12"}},
        {"nodes not an array", R"({"nodes": {}})", {"wf.json", "\"nodes\" must be an array"}},
        {"unknown node type", workflow(R"({"id": "x", "type": "basic.nope"})"),
         {"wf.json", "node \"x\"", "unknown node type \"basic.nope\"", "basic.log"}},
        {"duplicate node id", workflow(show + "," + show), {"duplicate node id \"show\""}},
        {"unknown widget", workflow(R"({"id": "show", "type": "basic.log", "widgets": {"colour": "red"}})"),
         {"node \"show\"", "unknown widget \"colour\"", "widgets: none"}},
        {"widget of the wrong JSON type",
         workflow(R"({"id": "out", "type": "basic.file_append", "widgets": {"file": "x", "format": 3}})"),
         {"node \"out\"", "widget \"format\" is an integer", "allowed: one of \"text\", \"json\""}},
        {"widget value refused by the node",
         workflow(R"({"id": "out", "type": "basic.file_append", "widgets": {"format": "xml"}})"),
         {"node \"out\"", "widget \"format\"", "must be one of: text, json"}},
        {"pointer refused by json_get",
         workflow(R"({"id": "get", "type": "basic.json_get", "widgets": {"pointer": "a/b"}})"),
         {"node \"get\"", "widget \"pointer\"", "must be empty or start with \"/\""}},
        {"unknown output socket", workflow(src + "," + show, R"({"from": "src.body", "to": "show.text"})"),
         {"edge \"src.body -> show.text\"", "no output \"body\"", "outputs: received_data, count"}},
        {"unknown input socket", workflow(src + "," + show, R"({"from": "src.received_data", "to": "show.txt"})"),
         {"edge \"src.received_data -> show.txt\"", "no input \"txt\"", "inputs: text"}},
        {"unknown node on an edge", workflow(show, R"({"from": "ghost.value", "to": "show.text"})"),
         {"unknown node \"ghost\""}},
        {"type mismatch", workflow(src + "," + show, R"({"from": "src.count", "to": "show.text"})"),
         {"edge \"src.count -> show.text\"", "type mismatch", "output is NUMBER, input is TEXT"}},
        {"input fed by two edges",
         workflow(src + "," + show, R"({"from": "src.received_data", "to": "show.text"},
                                       {"from": "src.received_data", "to": "show.text"})"),
         {"input \"show.text\" is already fed", "one edge"}},
        {"cycle",
         workflow(R"({"id": "a", "type": "basic.json_get"}, {"id": "b", "type": "basic.json_get"})",
                  R"({"from": "a.value", "to": "b.json"}, {"from": "b.value", "to": "a.json"})"),
         {"cycle through nodes \"a\" -> \"b\" -> \"a\""}},
        {"edge endpoint without a socket", workflow(show, R"({"from": "show", "to": "show.text"})"),
         {"edges[0].from", "NODE_ID.SOCKET"}},
    };
    for (const Case &c : cases) {
        CAPTURE(c.what);
        const std::string message = f.refusal(c.json);
        CAPTURE(message);
        CHECK(message.rfind("wf.json: ", 0) == 0);
        for (const auto &part : c.parts) CHECK(has(message, part));
    }
}

TEST_CASE("a node no event source reaches, and an input of a reached node left unconnected, are refused by name") {
    Fixture f;
    CHECK(f.refusal(workflow(src + "," + show + R"(, {"id": "alone", "type": "basic.log"})",
                             R"({"from": "src.received_data", "to": "show.text"})")) ==
          "wf.json: node \"alone\" (basic.log) would never run: no event source reaches it through edges");
    // Without any event source nothing runs: the first node is named.
    CHECK(f.refusal(workflow(show)) ==
          "wf.json: node \"show\" (basic.log) would never run: no event source reaches it through edges");
    CHECK(f.refusal(workflow(src + R"(, {"id": "join", "type": "test.join"})",
                             R"({"from": "src.received_data", "to": "join.a"})")) ==
          "wf.json: node \"join\" (test.join): input \"b\" is not connected; every input of a node needs an edge");
    CHECK(f.build(workflow(src + R"(, {"id": "join", "type": "test.join"})",
                           R"({"from": "src.received_data", "to": "join.a"},
                              {"from": "src.received_data", "to": "join.b"})"))
              .nodes.size() == 2);
}

TEST_CASE("a refused widget value is quoted at most 120 characters, then an ellipsis, never cut inside a character") {
    Fixture f;
    const auto refused = [&](const std::string &pointer) {
        return f.refusal(workflow(src + R"(, {"id": "get", "type": "basic.json_get", "widgets": {"pointer": ")" +
                                      pointer + R"("}}, )" + show,
                                  R"({"from": "src.received_data", "to": "get.json"},
                                     {"from": "get.value", "to": "show.text"})"));
    };
    const auto message = [](const std::string &quoted) {
        return "wf.json: node \"get\" (basic.json_get): widget \"pointer\" refused " + quoted +
               ": pointer must be empty or start with \"/\" (got " + quoted + ")";
    };
    // 120 characters are quoted whole; one more is cut.
    CHECK(refused(std::string(120, 'a')) == message("\"" + std::string(120, 'a') + "\""));
    CHECK(refused(std::string(121, 'a')) == message("\"" + std::string(120, 'a') + "\u2026\""));
    // "é" is two bytes: 130 of them are cut after the 120th character, byte 240.
    std::string e130;
    for (int i = 0; i < 130; ++i) e130 += "\u00e9";
    CHECK(refused(e130) == message("\"" + e130.substr(0, 240) + "\u2026\""));
}

TEST_CASE("topological order breaks ties by id and puts every node after its predecessors") {
    // top -> right -> join, top -> left -> join: a diamond listed out of order.
    const std::vector<std::string> ids{"join", "right", "left", "top"};
    const std::vector<Link> links{{3, 1}, {1, 0}, {3, 2}, {2, 0}};
    const auto result = topological_order(ids, links);
    CHECK(result.cycle.empty());
    CHECK(result.order == std::vector<NodeIndex>{3, 2, 1, 0});  // top, left, right, join
    CHECK(downstream(result.order, links, 1) == std::vector<NodeIndex>{1, 0});
}

TEST_CASE("a cycle is reported as a closed path and yields no order") {
    // 0 -> 1 -> 2 -> 1, with 3 hanging off the cycle.
    const auto result = topological_order({"0", "1", "2", "3"}, {{0, 1}, {1, 2}, {2, 1}, {2, 3}});
    CHECK(result.order.empty());
    CHECK(result.cycle == std::vector<NodeIndex>{1, 2, 1});
    CHECK(topological_order({"0"}, {{0, 0}}).cycle == std::vector<NodeIndex>{0, 0});
}
