#pragma once

#include <filesystem>
#include <vector>

namespace nb::conformance {

struct Config {
    std::vector<std::filesystem::path> plugins;
    std::vector<std::filesystem::path> manifests;      // --manifest FILE
    std::vector<std::filesystem::path> manifest_dirs;  // --manifest-dir DIR
};

// The command line, parsed once by main before doctest runs. doctest test
// cases take no arguments, so this one accessor is how they reach it.
Config &config();

}  // namespace nb::conformance
