// nb-conformance PLUGIN.so... [--manifest FILE]... [--manifest-dir DIR]...
// [--no-manifests] [--verbose] [doctest options]: checks that each plugin
// keeps the nb ABI's contract. Exits 0 when every rule holds, 1 when one
// fails, 2 on a usage error.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "command_line.hpp"
#include "conformance_config.hpp"
#include "manifest_options.hpp"
#include "report_output.hpp"

namespace nb::conformance {

Config &config() {
    static Config instance;
    return instance;
}

}  // namespace nb::conformance

namespace {

constexpr int kRulesFailed = 1;
constexpr int kUsageError = 2;

}  // namespace

int main(int argc, char **argv) {
    using namespace nb::conformance;
    auto &cfg = config();
    auto line = parse_command_line(argc, argv, cfg);
    if (line.action == CommandLine::Action::help) {
        std::cout << kUsage;
        return 0;
    }
    if (line.action == CommandLine::Action::usage_error) {
        std::cerr << "nb-conformance: " << line.error << "\n" << kUsage;
        return kUsageError;
    }
    std::unique_ptr<ReportOutput> report;
    try {
        report = std::make_unique<ReportOutput>(cfg.verbose);
    } catch (const std::system_error &e) {
        std::cerr << "nb-conformance: " << e.what() << "\n";
        return kUsageError;
    }
    if (const auto problem = resolve_manifest_options(cfg); !problem.empty()) {
        std::cerr << "nb-conformance: " << problem << "\n";
        return kUsageError;
    }
    // Nodes that write files (basic.file_append) do so where they run: keep
    // that out of the caller's folder.
    std::string scratch = (std::filesystem::temp_directory_path() / "nb-conformance-XXXXXX").string();
    if (!mkdtemp(scratch.data())) {
        std::cerr << "nb-conformance: cannot make a scratch folder: " << std::strerror(errno) << "\n";
        return kUsageError;
    }
    std::filesystem::current_path(scratch);
    doctest::Context context(static_cast<int>(line.doctest_args.size()), line.doctest_args.data());
    context.setCout(&report->stream());
    if (report->is_terminal()) context.setOption("force-colors", true);
    const int failed = context.run();
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
    return failed ? kRulesFailed : 0;
}
