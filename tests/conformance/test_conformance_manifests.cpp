// nb-conformance's manifest rule: manifests compared as JSON values, every
// difference as an RFC 6901 pointer with both values, a missing manifest a
// failure, and the options that name manifests checked before any rule runs.
#include <doctest/doctest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "json_difference.hpp"
#include "tool_runner.hpp"

namespace fs = std::filesystem;
using namespace nb::conformance;
using namespace nb::conformance::testing;

namespace {

const char *const kRule = "every node type has a manifest equal to its descriptor";
const std::string kOnlyTheRule = "--test-case=every node type has a manifest*";

std::string basic_plugin() { return env_path("NB_BASIC_PLUGIN"); }

std::string source_manifest(const std::string &id) {
    std::ifstream in(fs::path(env_path("NB_MANIFEST_DIR")) / (id + ".json"), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    REQUIRE_MESSAGE(!text.str().empty(), "no manifest " << id << " in NB_MANIFEST_DIR");
    return text.str();
}

Poco::JSON::Object::Ptr parsed_manifest(const std::string &id) {
    return Poco::JSON::Parser().parse(source_manifest(id)).extract<Poco::JSON::Object::Ptr>();
}

// The same JSON value written otherwise: keys sorted (Poco's order), four
// spaces of indentation, no final newline.
std::string reformatted(const Poco::JSON::Object::Ptr &manifest) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(manifest, out, 4);
    return out.str();
}

// What a failed check prints for `message`, in doctest's two forms.
bool reported(const std::string &report, const std::string &message) {
    return report.find(": ERROR: " + message + "\n") != std::string::npos ||
           report.find("  logged: " + message + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a manifest equal as JSON passes whatever its indentation, key order and final newline") {
    const ScratchDir dir;
    for (const char *id : {"basic.log", "basic.json_get", "basic.file_append"})
        dir.write(std::string(id) + ".json", reformatted(parsed_manifest(id)));
    const auto r = run_conformance({basic_plugin(), "--manifest-dir", dir.path().string(), kOnlyTheRule});
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(lines_equal(r.out, "passed  " + std::string(kRule) + " (9 checks)") == 1);
}

TEST_CASE("a changed field is printed as its JSON pointer with the manifest's and the plugin's value") {
    const ScratchDir dir;
    dir.write("basic.log.json", source_manifest("basic.log"));
    dir.write("basic.json_get.json", source_manifest("basic.json_get"));
    auto manifest = parsed_manifest("basic.file_append");
    manifest->getArray("widgets")->getObject(1)->set("default", "json");
    manifest->getArray("tags")->add("extra");
    const auto file = dir.write("basic.file_append.json", reformatted(manifest));
    const auto r = run_conformance({basic_plugin(), "--manifest-dir", dir.path().string(), kOnlyTheRule});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    const std::string where = "basic.file_append: " + file.string();
    CHECK(reported(r.out, where + " differs from the plugin's descriptor in 2 fields "
                                  "(`nb-host describe basic.file_append` prints the descriptor)"));
    CHECK(reported(r.out, where + ": /widgets/1/default is \"json\" in the manifest, \"text\" in the plugin"));
    CHECK(reported(r.out, where + ": /tags/4 is \"extra\" in the manifest, absent in the plugin"));
    CHECK(lines_equal(r.out, "FAILED  " + std::string(kRule) + " (3 of 11 checks failed)") == 1);
}

TEST_CASE("a node type without a manifest fails the manifest rule, naming where it was looked for") {
    const ScratchDir dir;
    dir.write("basic.json_get.json", source_manifest("basic.json_get"));
    dir.write("basic.file_append.json", source_manifest("basic.file_append"));
    const auto r = run_conformance({basic_plugin(), "--manifest-dir", dir.path().string(), kOnlyTheRule});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(reported(r.out, "basic.log: no manifest: no basic.log.json in " + dir.path().string() + ", " +
                              fs::path(basic_plugin()).parent_path().string() +
                              " (`nb-host describe basic.log` prints it; --no-manifests skips this rule)"));
    CHECK(lines_equal(r.out, "FAILED  " + std::string(kRule) + " (1 of 7 checks failed)") == 1);
}

TEST_CASE("--no-manifests skips the manifest rule and the report says so") {
    const auto r = run_conformance({basic_plugin(), "--no-manifests", kOnlyTheRule});
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(": MESSAGE: manifests skipped: --no-manifests\n") != std::string::npos);
    CHECK(lines_equal(r.out, "skipped " + std::string(kRule) + " (manifests skipped: --no-manifests)") == 1);

    const auto both = run_conformance({basic_plugin(), "--no-manifests", "--manifest-dir", "/tmp"});
    CHECK(both.exit_code == 2);
    CHECK(both.err.find("nb-conformance: --no-manifests and --manifest or --manifest-dir contradict each other\n") == 0);
}

TEST_CASE("a --manifest-dir that does not exist or is not a folder is a usage error naming it") {
    const ScratchDir dir;
    const std::string missing = (dir.path() / "no-such-folder").string();
    const std::string file = dir.write("a-file", "").string();
    for (const auto &[given, why] : {std::pair{missing, "no such folder"}, std::pair{file, "not a folder"}}) {
        const auto r = run_conformance({basic_plugin(), "--manifest-dir", given});
        INFO(r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.err == "nb-conformance: --manifest-dir " + given + ": " + why + "\n");
        CHECK(r.out.empty());
    }
}

TEST_CASE("a --manifest whose id no plugin provides, or that has none, is a usage error naming the file") {
    const ScratchDir dir;
    auto manifest = parsed_manifest("basic.log");
    manifest->set("id", "basic.nope");
    const auto unknown = dir.write("mine.json", reformatted(manifest));
    const auto no_id = dir.write("no-id.json", "{\"title\": \"Log\"}");
    const auto not_json = dir.write("not-json.json", "{\"id\": ");
    const auto missing = dir.path() / "missing.json";
    const std::pair<fs::path, std::string> cases[] = {
        {unknown, "node type \"basic.nope\" (its \"id\") is not provided by " + basic_plugin()},
        {no_id, "no \"id\" string in it"},
        {missing, "no such file"},
    };
    for (const auto &[file, why] : cases) {
        const auto r = run_conformance({basic_plugin(), "--manifest", file.string()});
        INFO(r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.err == "nb-conformance: --manifest " + file.string() + ": " + why + "\n");
    }
    const auto r = run_conformance({basic_plugin(), "--manifest", not_json.string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nb-conformance: --manifest " + not_json.string() + ": not valid JSON: ") == 0);
}

TEST_CASE("a --manifest is matched by the id inside it, not by its file name") {
    const ScratchDir dir;
    dir.write("basic.file_append.json", source_manifest("basic.file_append"));
    const auto renamed = dir.write("my-log-node.json", source_manifest("basic.log"));
    auto json_get = parsed_manifest("basic.json_get");
    json_get->set("title", "Another title");
    // Named as basic.log's would be, but its id says basic.json_get.
    const auto misnamed = dir.write("basic.log.json", reformatted(json_get));
    const auto r = run_conformance({basic_plugin(), "--manifest-dir", dir.path().string(), "--manifest",
                                    renamed.string(), "--manifest", misnamed.string(), kOnlyTheRule});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(reported(r.out, "basic.json_get: " + misnamed.string() +
                              ": /title is \"Another title\" in the manifest, \"JSON Get\" in the plugin"));
    CHECK(r.out.find("basic.log: ") == std::string::npos);
    CHECK(lines_equal(r.out, "FAILED  " + std::string(kRule) + " (2 of 10 checks failed)") == 1);
}

TEST_CASE("JSON differences are RFC 6901 pointers with both values, absent where a side has none") {
    Poco::JSON::Parser parser;
    const auto left = parser.parse(R"({"a": [1, 2], "b/c": {"~": 1}, "same": {"x": [true]}})");
    parser.reset();
    const auto right = parser.parse(R"({"same": {"x": [true]}, "d": null, "b/c": {"~": "1"}, "a": [1, 3, 4]})");
    const auto differences = json_differences(left, right);
    REQUIRE(differences.size() == 4);
    const auto text = [](const JsonDifference &d) {
        return d.pointer + " " + d.left.value_or("absent") + " " + d.right.value_or("absent");
    };
    CHECK(text(differences[0]) == "/a/1 2 3");
    CHECK(text(differences[1]) == "/a/2 absent 4");
    CHECK(text(differences[2]) == "/b~1c/~0 1 \"1\"");
    CHECK(text(differences[3]) == "/d absent null");
    CHECK(json_differences(left, left).empty());
}
