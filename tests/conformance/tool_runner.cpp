#include "tool_runner.hpp"

#include <doctest/doctest.h>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace nb::conformance::testing {

Outcome run_conformance(const std::vector<std::string> &args) {
    const std::string tool = env_path("NB_CONFORMANCE");
    Poco::Pipe out, err;
    Poco::ProcessHandle ph = Poco::Process::launch(tool, args, nullptr, &out, &err);
    Outcome outcome{0, {}, {}, {}};
    // The report first: standard error carries a few lines at most, so it
    // cannot fill its pipe while this waits.
    Poco::PipeInputStream out_stream(out), err_stream(err);
    Poco::StreamCopier::copyToString(out_stream, outcome.out);
    Poco::StreamCopier::copyToString(err_stream, outcome.err);
    outcome.exit_code = ph.wait();
    outcome.output = outcome.out + outcome.err;
    return outcome;
}

std::string env_path(const char *name) {
    const char *v = std::getenv(name);
    REQUIRE_MESSAGE(v, name << " is not set");
    return v;
}

bool is_summary_line(const std::string &line) {
    return line.rfind("passed  ", 0) == 0 || line.rfind("FAILED  ", 0) == 0 || line.rfind("skipped ", 0) == 0;
}

std::size_t lines_equal(const std::string &text, const std::string &line) {
    std::istringstream in(text);
    std::size_t count = 0;
    for (std::string l; std::getline(in, l);) count += l == line;
    return count;
}

ScratchDir::ScratchDir() {
    std::string name = (std::filesystem::temp_directory_path() / "nb-conf-test-XXXXXX").string();
    REQUIRE_MESSAGE(::mkdtemp(name.data()), "cannot make a scratch folder");
    path_ = name;
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path ScratchDir::write(const std::string &name, const std::string &content) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
}

}  // namespace nb::conformance::testing
