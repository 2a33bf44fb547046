// nb-conformance PLUGIN.so... [--manifest FILE]... [--manifest-dir DIR]...
// [doctest options]: checks that each plugin keeps the nb ABI's contract.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "conformance_config.hpp"

namespace nb::conformance {

Config &config() {
    static Config instance;
    return instance;
}

}  // namespace nb::conformance

namespace {

constexpr const char *usage =
    "usage: nb-conformance PLUGIN.so... [--manifest FILE]... [--manifest-dir DIR]... "
    "[doctest options]\n";

}  // namespace

int main(int argc, char **argv) {
    auto &cfg = nb::conformance::config();
    std::vector<char *> doctest_args{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--manifest" || arg == "--manifest-dir") {
            if (i + 1 == argc) {
                std::cerr << "nb-conformance: " << arg << " needs a value\n" << usage;
                return 2;
            }
            (arg == "--manifest" ? cfg.manifests : cfg.manifest_dirs).emplace_back(argv[++i]);
        } else if (arg == "-h" || arg == "--help") {
            std::cout << usage;
            return 0;
        } else if (!arg.empty() && arg[0] == '-') {
            doctest_args.push_back(argv[i]);
        } else {
            cfg.plugins.emplace_back(arg);
        }
    }
    if (cfg.plugins.empty()) {
        std::cerr << "nb-conformance: no plugin given\n" << usage;
        return 2;
    }
    // Nodes that write files (basic.file_append) do so where they run: keep
    // that out of the caller's folder.
    for (auto &plugin : cfg.plugins) plugin = std::filesystem::absolute(plugin);
    for (auto &m : cfg.manifests) m = std::filesystem::absolute(m);
    for (auto &dir : cfg.manifest_dirs) dir = std::filesystem::absolute(dir);
    std::string scratch = (std::filesystem::temp_directory_path() / "nb-conformance-XXXXXX").string();
    if (!mkdtemp(scratch.data())) {
        std::cerr << "nb-conformance: cannot make a scratch folder: " << std::strerror(errno) << "\n";
        return 2;
    }
    std::filesystem::current_path(scratch);
    doctest::Context context(static_cast<int>(doctest_args.size()), doctest_args.data());
    const int failed = context.run();
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
    return failed ? 1 : 0;
}
