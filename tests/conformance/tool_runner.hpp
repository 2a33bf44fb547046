#pragma once

#include <filesystem>
#include <string>
#include <vector>

// For the tests of nb-conformance itself: running it and the files it reads.
namespace nb::conformance::testing {

struct Outcome {
    int exit_code;
    std::string out;     // the report
    std::string err;     // usage errors, sanitizers
    std::string output;  // both
};

// Runs nb-conformance (path from NB_CONFORMANCE) on `args`.
Outcome run_conformance(const std::vector<std::string> &args);

// The value of environment variable `name`; fails the test when unset.
std::string env_path(const char *name);

// Whether `line` is one of the report's summary lines ("passed  RULE (...)",
// "FAILED  ...", "skipped ...").
bool is_summary_line(const std::string &line);

// How many lines of `text` are exactly `line`.
std::size_t lines_equal(const std::string &text, const std::string &line);

// A fresh folder under the temporary directory, removed with everything in it.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir &) = delete;
    ScratchDir &operator=(const ScratchDir &) = delete;

    const std::filesystem::path &path() const { return path_; }
    // Writes `content` to path()/name and returns that path.
    std::filesystem::path write(const std::string &name, const std::string &content) const;

private:
    std::filesystem::path path_;
};

}  // namespace nb::conformance::testing
