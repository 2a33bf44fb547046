#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include <cli/listening_lines.hpp>

#include "helpers.hpp"
#include "process.hpp"

namespace fs = std::filesystem;
using nb::test::run_nb_host;

TEST_CASE("nb-host check accepts a good workflow and refuses a bad one with exit 1") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "good.json", R"({"nodes": [{"id": "a", "type": "basic.log"}]})");
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
