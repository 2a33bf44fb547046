// What nb-conformance's report holds: one summary line per rule after the
// failures' details, no log lines unless --verbose, node types provided by
// two plugins, and an exception crossing the ABI under its own rule.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "tool_runner.hpp"

namespace fs = std::filesystem;
using namespace nb::conformance::testing;

namespace {

// Every rule's name, as nb-conformance lists them.
std::vector<std::string> rule_names() {
    const auto r = run_conformance({env_path("NB_BASIC_PLUGIN"), "--list-test-cases"});
    std::vector<std::string> names;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '[' && line[0] != '=') names.push_back(line);
    return names;
}

}  // namespace

TEST_CASE("the report ends in one summary line per rule, after the details of failures") {
    const auto r = run_conformance({env_path("NB_THROWING_PLUGIN"), "--no-manifests"});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    const auto names = rule_names();
    REQUIRE(names.size() > 20);
    std::istringstream in(r.out);
    std::vector<std::string> summary;
    std::size_t last_detail = 0, first_summary = 0, at = 0;
    for (std::string line; std::getline(in, line); ++at) {
        if (is_summary_line(line)) {
            if (summary.empty()) first_summary = at;
            summary.push_back(line);
        } else if (line.find("ERROR: ") != std::string::npos) {
            last_detail = at;
        }
    }
    CHECK(summary.size() == names.size());
    for (const auto &name : names) {
        INFO("rule: " << name);
        std::size_t lines = 0;
        for (const auto &line : summary) lines += line.compare(8, name.size() + 2, name + " (") == 0;
        CHECK(lines == 1);
    }
    CHECK(last_detail < first_summary);
    CHECK(lines_equal(r.out, "FAILED  no C++ exception crosses the ABI (1 of 11 checks failed)") == 1);
    CHECK(lines_equal(r.out, "passed  the file loads as a plugin with a compatible ABI (2 checks)") == 1);
    CHECK(lines_equal(r.out, "passed  event sources start and stop 50 times in a row on the same port (nothing to check)") == 1);
    CHECK(lines_equal(r.out, "skipped every node type has a manifest equal to its descriptor "
                             "(manifests skipped: --no-manifests)") == 1);
}

TEST_CASE("what nodes print and log through the host stays out of the report unless --verbose") {
    // basic.log prints each run on standard output; test.throws logs through the host.
    const std::string printed = "[run 1] conformance: {\"a\":1}";
    const std::string logged = "info: [test.throws] execute is about to throw";
    const std::vector<std::string> args{env_path("NB_BASIC_PLUGIN"), env_path("NB_THROWING_PLUGIN"),
                                        "--no-manifests",
                                        "--test-case=execute is safe on several threads*,no C++ exception*"};
    const auto quiet = run_conformance(args);
    INFO(quiet.output);
    CHECK(quiet.output.find("[run ") == std::string::npos);
    CHECK(quiet.output.find(logged) == std::string::npos);
    CHECK(lines_equal(quiet.out, "passed  execute is safe on several threads at once, one instance each (18 checks)") == 1);

    auto verbose_args = args;
    verbose_args.push_back("--verbose");
    const auto verbose = run_conformance(verbose_args);
    INFO(verbose.output);
    CHECK(lines_equal(verbose.out, printed) >= 1);
    CHECK(lines_equal(verbose.out, logged) >= 1);
    CHECK(verbose.exit_code == quiet.exit_code);
}

TEST_CASE("two plugins providing one node type fail a rule naming both files") {
    const ScratchDir dir;
    const fs::path copy = dir.path() / "nb_basic_copy.so";
    fs::copy_file(env_path("NB_BASIC_PLUGIN"), copy);
    const auto r = run_conformance({env_path("NB_BASIC_PLUGIN"), copy.string(), "--no-manifests",
                                    "--test-case=each node type is provided by one plugin only"});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    for (const char *type : {"basic.log", "basic.json_get", "basic.file_append"}) {
        const std::string line = std::string(type) + " is provided by 2 plugins: " + env_path("NB_BASIC_PLUGIN") +
                                 " and " + copy.string();
        INFO(line);
        CHECK(r.out.find("  logged: " + line + "\n") != std::string::npos);
    }
    CHECK(lines_equal(r.out, "FAILED  each node type is provided by one plugin only (3 of 3 checks failed)") == 1);
}

TEST_CASE("a C++ exception escaping execute fails its rule, naming the node type and the function") {
    const auto r = run_conformance({env_path("NB_THROWING_PLUGIN"), "--no-manifests"});
    INFO(r.output);
    CHECK(r.exit_code == 1);  // a crash would be a signal
    CHECK(r.out.find("  logged: test.throws: execute threw a C++ exception across the ABI: std::runtime_error: "
                     "execute fails on purpose; the other rules skip test.throws\n") != std::string::npos);
    CHECK(lines_equal(r.out, "FAILED  no C++ exception crosses the ABI (1 of 11 checks failed)") == 1);
    std::size_t failed_rules = 0;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) failed_rules += line.rfind("FAILED  ", 0) == 0;
    CHECK(failed_rules == 1);
}
