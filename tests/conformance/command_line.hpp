#pragma once

#include <string>
#include <vector>

#include "conformance_config.hpp"

namespace nb::conformance {

inline constexpr const char *kUsage =
    "usage: nb-conformance PLUGIN.so... [--manifest FILE]... [--manifest-dir DIR]... "
    "[--no-manifests] [--verbose] [doctest options]\n";

// What main does once the command line is read.
struct CommandLine {
    enum class Action { run, help, usage_error };
    Action action = Action::run;
    std::string error;                // usage_error: what was wrong
    std::vector<char *> doctest_args;  // argv[0], then every other option starting with '-'
};

// Fills `cfg` from argv (paths made absolute); checks only the syntax:
// what the files hold is resolve_manifest_options' part.
CommandLine parse_command_line(int argc, char **argv, Config &cfg);

}  // namespace nb::conformance
