#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace nb::host {

// A command line nb-host cannot act on; main prints it with the usage, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string command;   // run, check, nodes, describe, help
    std::string argument;  // WORKFLOW.json or NODE_TYPE
    std::vector<std::filesystem::path> plugin_dirs;
    std::size_t workers;
    std::size_t queue = 1024;
    bool stats = false;  // run: print run counts and latency percentiles on exit
};

// Throws UsageError.
Options parse_options(const std::vector<std::string> &args);
const char *usage_text();

}  // namespace nb::host
