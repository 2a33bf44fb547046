#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <workflow/workflow.hpp>

#include "fake_run.hpp"
#include "helpers.hpp"

using namespace nb::host;

namespace {

// Run id 7 throughout: basic.log prints it.
struct FakeRun : nb::test::FakeRun {
    FakeRun() : nb::test::FakeRun(nullptr, 7) {}
};

nb_host_t null_host() {
    return {NB_VERSION_INIT, nullptr, nullptr, nullptr, nullptr};
}

// One instance of a basic node, configured, destroyed before its plugin.
struct BasicNode {
    PluginSet plugins;
    nb_host_t host = null_host();
    NodeInstance node;

    BasicNode(const char *type, std::map<std::string, std::string> widgets) {
        std::ostringstream warnings;
        nb::test::load_test_plugins(plugins, warnings);
        const NodeType *t = plugins.find(type);
        REQUIRE(t);
        node.reset(t->library->entry().create_node(type, "n1", &host));
        REQUIRE(node);
        for (const auto &[name, value] : widgets) {
            REQUIRE_MESSAGE(set(name, value) == NB_OK, node->last_error(node.get()));
        }
    }
    ~BasicNode() { node.reset(); }

    nb_status_t set(const std::string &name, const std::string &value) {
        return node->set_widget(node.get(), name.c_str(), value.c_str());
    }
    nb_status_t execute(FakeRun &run) { return node->execute(node.get(), run.run()); }
    std::string error() const { return node->last_error(node.get()); }
};

std::string json_get(const std::string &pointer, const std::string &json, nb_status_t expected = NB_OK) {
    BasicNode get("basic.json_get", {{"pointer", pointer}});
    FakeRun run;
    run.inputs["json"] = json;
    const nb_status_t status = get.execute(run);
    CHECK(status == expected);
    return status == NB_OK ? run.outputs["value"] : get.error();
}

}  // namespace

TEST_CASE("json_get follows RFC 6901 pointers; strings unquoted, the rest as JSON") {
    const std::string doc = R"({"user": {"name": "Ada", "age": 36, "tags": ["x", "y"]},
                               "a/b": 1, "m~n": 2, "": "empty key", "list": [10, {"k": null}],
                               "flag": true, "pi": 1.5, "quote": "say \"hi\"\n"})";
    CHECK(json_get("/user/name", doc) == "Ada");
    CHECK(json_get("/user/age", doc) == "36");
    CHECK(json_get("/user/tags", doc) == R"(["x","y"])");
    CHECK(json_get("/user/tags/1", doc) == "y");
    CHECK(json_get("/a~1b", doc) == "1");
    CHECK(json_get("/m~0n", doc) == "2");
    CHECK(json_get("/", doc) == "empty key");
    CHECK(json_get("/list/1", doc) == R"({"k":null})");
    CHECK(json_get("/list/1/k", doc) == "null");
    CHECK(json_get("/flag", doc) == "true");
    CHECK(json_get("/pi", doc) == "1.5");
    CHECK(json_get("/quote", doc) == "say \"hi\"\n");
    CHECK(json_get("", R"({"b": 2, "a": 1})") == R"({"b":2,"a":1})");
}

TEST_CASE("json_get fails the run on invalid JSON or a pointer that selects nothing") {
    CHECK(json_get("/a", "{not json", NB_ERR_INVALID).find("not valid JSON") != std::string::npos);
    const std::string missing = json_get("/a/zz", R"({"a": {"b": 1}})", NB_ERR_INVALID);
    CHECK(missing.find("pointer \"/a/zz\" selects nothing") != std::string::npos);
    CHECK(missing.find("no \"zz\"") != std::string::npos);
    CHECK(json_get("/list/01", R"({"list": [1, 2]})", NB_ERR_INVALID).find("selects nothing") != std::string::npos);
    CHECK(json_get("/list/2", R"({"list": [1, 2]})", NB_ERR_INVALID).find("selects nothing") != std::string::npos);
    CHECK(json_get("/list/-", R"({"list": [1, 2]})", NB_ERR_INVALID).find("selects nothing") != std::string::npos);
}

TEST_CASE("json_get refuses malformed pointers and keeps the previous value") {
    BasicNode get("basic.json_get", {{"pointer", "/ok"}});
    CHECK(get.set("pointer", "no-slash") == NB_ERR_INVALID);
    CHECK(get.error().find("must be empty or start with \"/\"") != std::string::npos);
    CHECK(get.set("pointer", "/bad~2") == NB_ERR_INVALID);
    CHECK(get.error().find("~0") != std::string::npos);
    CHECK(get.set("colour", "red") == NB_ERR_UNKNOWN);
    CHECK(std::string(get.node->get_widget(get.node.get(), "pointer")) == "/ok");
}

TEST_CASE("file_append writes text and json formats byte-exact, keeping the file open") {
    nb::test::TempDir dir;
    const auto text_file = dir / "text.txt", json_file = dir / "json.txt";
    const std::string payloads[] = {"plain", "two\nlines", "tab\t\"quoted\" \\ é", ""};
    {
        BasicNode text("basic.file_append", {{"file", text_file.string()}});
        BasicNode json("basic.file_append", {{"file", json_file.string()}, {"format", "json"}});
        for (const auto &payload : payloads) {
            FakeRun run;
            run.inputs["text"] = payload;
            REQUIRE(text.execute(run) == NB_OK);
            REQUIRE(json.execute(run) == NB_OK);
        }
        CHECK(nb::test::read_file(text_file) == "plain\ntwo\nlines\ntab\t\"quoted\" \\ é\n\n");
    }
    CHECK(nb::test::read_file(json_file) ==
          "\"plain\"\n\"two\\nlines\"\n\"tab\\t\\\"quoted\\\" \\\\ é\"\n\"\"\n");
}

TEST_CASE("file_append from several threads: every line whole, none lost") {
    nb::test::TempDir dir;
    const auto file = dir / "out.txt";
    BasicNode out("basic.file_append", {{"file", file.string()}});
    const std::string line(3000, 'x');
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                FakeRun run;
                run.inputs["text"] = line;
                CHECK(out.execute(run) == NB_OK);
            }
        });
    }
    for (auto &t : threads) t.join();
    std::istringstream lines(nb::test::read_file(file));
    int count = 0;
    for (std::string l; std::getline(lines, l); ++count) CHECK(l == line);
    CHECK(count == 200);
}

TEST_CASE("file_append refuses an empty file name and reports an unopenable file") {
    BasicNode out("basic.file_append", {{"file", "/nonexistent-dir/out.txt"}});
    CHECK(out.set("file", "") == NB_ERR_INVALID);
    FakeRun run;
    run.inputs["text"] = "x";
    CHECK(out.execute(run) == NB_ERR_IO);
    CHECK(out.error().find("cannot open \"/nonexistent-dir/out.txt\"") != std::string::npos);
    FakeRun empty;
    CHECK(out.execute(empty) == NB_ERR_INVALID);
    CHECK(out.error().find("input \"text\" received no value") != std::string::npos);
}

TEST_CASE("log prints one line per run with run id and node id, line breaks escaped") {
    nb::test::TempDir dir;
    const auto captured = dir / "stdout.txt";
    BasicNode log("basic.log", {});
    std::fflush(stdout);
    const int saved = dup(STDOUT_FILENO);
    REQUIRE(std::freopen(captured.c_str(), "w", stdout));
    FakeRun run;
    run.inputs["text"] = "hello\nworld\r\\";
    const nb_status_t status = log.execute(run);
    std::fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    CHECK(status == NB_OK);
    CHECK(nb::test::read_file(captured) == "[run 7] n1: hello\\nworld\\r\\\\\n");
}
