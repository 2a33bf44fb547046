#pragma once

// Runs nb-host as a child process, as a user would, with a state folder of
// its own (XDG_STATE_HOME): a journal at the default path is never shared
// with another test, nor with the user's.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace nb::test {

class NbHost {
public:
    explicit NbHost(const std::vector<std::string> &args, Poco::Process::Env env = {})
        : state_(make_state_dir()),
          handle_(Poco::Process::launch(NB_HOST_BIN, args, "", nullptr, &out_, &err_, with_state(env))),
          stdout_(out_), stderr_(err_) {}
    ~NbHost() {
        if (!exit_code_) {
            ::kill(handle_.id(), SIGKILL);
            wait_for_exit(std::chrono::seconds(5));
        }
        std::error_code ignored;
        std::filesystem::remove_all(state_, ignored);
    }
    pid_t pid() const { return handle_.id(); }
    // XDG_STATE_HOME of this nb-host, unless `env` had one.
    const std::filesystem::path &state_dir() const { return state_; }
    NbHost(const NbHost &) = delete;
    NbHost &operator=(const NbHost &) = delete;

    // The next stdout line, "" at end of output.
    std::string read_line() { return next_line(stdout_); }
    // The next stderr line, "" at end of output.
    std::string read_error_line() { return next_line(stderr_); }
    void signal(int sig) { ::kill(handle_.id(), sig); }
    // The exit code, or nothing if the process still runs after `timeout`.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!exit_code_ && std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(handle_.id(), &status, WNOHANG) == handle_.id()) {
                exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        return exit_code_;
    }
    std::string rest_of_stdout() { return drain(stdout_); }
    std::string all_stderr() { return drain(stderr_); }

private:
    static std::filesystem::path make_state_dir() {
        std::string dir = (std::filesystem::temp_directory_path() / "nb-host-state-XXXXXX").string();
        if (!::mkdtemp(dir.data())) throw std::runtime_error("mkdtemp failed");
        return dir;
    }
    Poco::Process::Env with_state(Poco::Process::Env env) const {
        env.emplace("XDG_STATE_HOME", state_.string());
        return env;
    }

    static std::string next_line(Poco::PipeInputStream &in) {
        std::string line;
        std::getline(in, line);
        return line;
    }
    static std::string drain(Poco::PipeInputStream &in) {
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        return text;
    }

    std::filesystem::path state_;
    Poco::Pipe out_, err_;
    Poco::ProcessHandle handle_;
    Poco::PipeInputStream stdout_, stderr_;
    std::optional<int> exit_code_;
};

// Runs nb-host to completion.
struct Finished {
    int code;
    std::string out, err;
};
inline Finished run_nb_host(const std::vector<std::string> &args, Poco::Process::Env env = {}) {
    NbHost host(args, std::move(env));
    std::string out = host.rest_of_stdout();
    std::string err = host.all_stderr();
    const auto code = host.wait_for_exit(std::chrono::seconds(10));
    return {code.value_or(-1), std::move(out), std::move(err)};
}

}  // namespace nb::test
