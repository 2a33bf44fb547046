#pragma once

// Runs nb-host as a child process, as a user would.

#include <chrono>
#include <csignal>
#include <optional>
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
    explicit NbHost(const std::vector<std::string> &args)
        : handle_(Poco::Process::launch(NB_HOST_BIN, args, nullptr, &out_, &err_)),
          stdout_(out_), stderr_(err_) {}
    ~NbHost() {
        if (!exit_code_) {
            ::kill(handle_.id(), SIGKILL);
            wait_for_exit(std::chrono::seconds(5));
        }
    }
    NbHost(const NbHost &) = delete;
    NbHost &operator=(const NbHost &) = delete;

    // The next stdout line, "" at end of output.
    std::string read_line() {
        std::string line;
        std::getline(stdout_, line);
        return line;
    }
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
    static std::string drain(Poco::PipeInputStream &in) {
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        return text;
    }

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
inline Finished run_nb_host(const std::vector<std::string> &args) {
    NbHost host(args);
    std::string out = host.rest_of_stdout();
    std::string err = host.all_stderr();
    const auto code = host.wait_for_exit(std::chrono::seconds(10));
    return {code.value_or(-1), std::move(out), std::move(err)};
}

}  // namespace nb::test
