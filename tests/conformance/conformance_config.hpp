#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace nb::conformance {

struct Config {
    std::vector<std::filesystem::path> plugins;
    std::vector<std::filesystem::path> manifests;      // --manifest FILE
    std::vector<std::filesystem::path> manifest_dirs;  // --manifest-dir DIR
    bool no_manifests = false;                         // --no-manifests
    bool verbose = false;                              // --verbose
    // The --manifest files by the "id" inside each, filled once they are read.
    std::map<std::string, std::filesystem::path> manifest_by_id;
};

// The command line, parsed once by main before doctest runs. doctest test
// cases take no arguments, so this one accessor is how they reach it.
Config &config();

}  // namespace nb::conformance
