#pragma once

// A FIFO as the sink of a run that never returns, for the tests that stop or
// fill nb-host while a run is blocked.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "helpers.hpp"

namespace nb::test {

// A sink nobody reads: the first run's open() for writing blocks until
// drain() opens it for reading, so with --workers 1 every later event waits.
// The read end stays open until the end so late writes find a reader.
class Fifo {
public:
    explicit Fifo(std::filesystem::path path) : path_(std::move(path)) {
        REQUIRE(::mkfifo(path_.c_str(), 0600) == 0);
    }
    ~Fifo() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fifo(const Fifo &) = delete;
    Fifo &operator=(const Fifo &) = delete;
    const std::filesystem::path &path() const { return path_; }

    // Everything written until `lines` lines came or `timeout` passed.
    std::string drain(std::size_t lines, std::chrono::milliseconds timeout) {
        if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(fd_ >= 0);
        eventually([&] {
            char buffer[65536];
            for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;) text_.append(buffer, n);
            return static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) >= lines;
        }, timeout);
        return text_;
    }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::string text_;
};

// Whether a thread of process `pid` is blocked opening a FIFO that has no
// reader (the kernel's wait_for_partner): a run has reached its sink.
inline bool blocked_opening_fifo(pid_t pid) {
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    std::error_code error;
    for (const auto &task : std::filesystem::directory_iterator(tasks, error)) {
        if (read_file(task.path() / "wchan") == "wait_for_partner") return true;
    }
    return false;
}

}  // namespace nb::test
