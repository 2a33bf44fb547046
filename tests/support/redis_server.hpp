#pragma once

// A real redis-server for a test: started on a free port in a folder of its
// own, with the durability the broker's guarantees are stated for (AOF,
// appendfsync always), stopped by its pid. No mock stands in for Redis.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>
#include <Poco/TemporaryFile.h>

#include "net_helpers.hpp"

namespace nb::test {

class RedisServer {
public:
    // `extra`: more redis-server arguments, e.g. {"--requirepass", "pw"}.
    explicit RedisServer(std::vector<std::string> extra = {})
        : dir_(Poco::TemporaryFile::tempName()), port_(free_port()), extra_(std::move(extra)) {
        std::filesystem::create_directories(dir_);
        start();
    }
    ~RedisServer() {
        kill9();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    std::uint16_t port() const { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    const std::filesystem::path &dir() const { return dir_; }

    // On the same port and folder: the AOF is read back.
    void start() {
        std::vector<std::string> args = {"--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                                         dir_.string(), "--appendonly", "yes", "--appendfsync", "always",
                                         "--save", "", "--daemonize", "no", "--logfile",
                                         (dir_ / "redis.log").string()};
        args.insert(args.end(), extra_.begin(), extra_.end());
        pid_ = Poco::Process::launch("redis-server", args).id();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!answers_ping()) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("redis-server did not start");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    // As a crash: nothing is flushed beyond what appendfsync already did.
    void kill9() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    // SIGSTOP / SIGCONT: a Redis that hangs without closing connections.
    void pause() { ::kill(pid_, SIGSTOP); }
    void resume() { ::kill(pid_, SIGCONT); }

    // One command in Redis's inline form (no spaces inside arguments); the
    // raw reply, e.g. ":3\r\n".
    std::string command(const std::string &line) const {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port_));
        socket.setReceiveTimeout(Poco::Timespan(5, 0));
        const std::string request = line + "\r\n";
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        char buffer[65536];
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    // An integer reply's value (XLEN, EXISTS...).
    long long integer(const std::string &line) const {
        const std::string reply = command(line);
        if (reply.empty() || reply[0] != ':') throw std::runtime_error("not an integer reply: " + reply);
        return std::stoll(reply.substr(1));
    }

private:
    bool answers_ping() const {
        try {
            return command("PING").rfind("+PONG", 0) == 0 || command("PING").rfind("-NOAUTH", 0) == 0;
        } catch (const std::exception &) {
            return false;
        }
    }

    std::filesystem::path dir_;
    std::uint16_t port_;
    std::vector<std::string> extra_;
    pid_t pid_ = -1;
};

}  // namespace nb::test
