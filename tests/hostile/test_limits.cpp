// What the event-loop server refuses at once, and how many connections it
// holds: a version it does not speak, a TLS handshake on the plain port,
// more stalled clients than a thread per connection could afford, and a
// process out of file descriptors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostile_support.hpp"

using namespace nb::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("HTTP/2.0 request lines get 505 with a JSON error, no run") {
    Served s;
    for (const std::string &raw :
         {std::string("POST /webhook HTTP/2.0\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"),
          std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")}) {
        CAPTURE(raw);
        const std::string answer = raw_exchange(s.port, raw, 5000ms);
        CHECK(raw_status(answer) == 505);
        CHECK(is_closing_error(answer));
    }
    CHECK(s.host.trigger_count() == 0);
    CHECK(s.still_serving());
}

TEST_CASE("a TLS ClientHello on the plain port gets its 400 at once, not at read_timeout_s") {
    Served s("5");
    // The start of a TLS 1.2 ClientHello record: handshake, version, length.
    const char record[] = "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x5b\x90\x9d\x9b"
                          "\x72\x0b\xbc\x0c\xbc\x2b\x92\xa8\x48\x97\xcf\xbd\x39\x04\xcc\x16";
    const std::string hello(record, sizeof record - 1);
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    const auto sent = Clock::now();
    send_all(socket, hello);
    bool closed = false;
    const std::string answer = read_until_close(socket, 2000ms, &closed);
    const auto took = Clock::now() - sent;
    CHECK(raw_status(answer) == 400);
    CHECK(is_closing_error(answer));
    CHECK(closed);
    // Answered and closed well within read_timeout_s (5 s): the first byte decided.
    CHECK(took < 2s);
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("a thousand stalled heads: a POST still gets 200 at once, the stalled ones 408") {
    // Each stalled client costs this process two descriptors, its socket and
    // the server's; keep headroom for the rest.
    rlimit files{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
    const rlim_t headroom = 128;
    const std::size_t count = static_cast<std::size_t>(
        std::min<rlim_t>(1000, files.rlim_cur > headroom ? (files.rlim_cur - headroom) / 2 : 0));
    MESSAGE("holding " << count << " stalled connections (descriptor limit "
                       << files.rlim_cur << ")");
    REQUIRE(count > 0);

    const int read_timeout_s = 2;
    Served s(std::to_string(read_timeout_s).c_str());
    const std::string half = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Le";
    std::vector<Poco::Net::StreamSocket> stalled;
    stalled.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        stalled.push_back(connect_raw(s.port));
        send_all(stalled.back(), half);
    }
    const auto last_sent = Clock::now();

    HttpRequest req;
    req.body = "through";
    const auto posted = Clock::now();
    CHECK(http_request(s.port, req, std::chrono::seconds(2)).status == 200);
    CHECK(Clock::now() - posted < 2s);

    std::size_t timed_out = 0;
    std::size_t closed_count = 0;
    for (auto &socket : stalled) {
        bool closed = false;
        const std::string answer = read_until_close(socket, 8000ms, &closed);  // hang bound
        timed_out += raw_status(answer) == 408 ? 1 : 0;
        closed_count += closed ? 1 : 0;
    }
    CHECK(timed_out == count);
    CHECK(closed_count == count);
    // Held for read_timeout_s of silence, not dropped early.
    CHECK(Clock::now() - last_sent >= std::chrono::seconds(read_timeout_s));
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].body == "through");
}

namespace {

// The process's soft limit on open files lowered for a scope.
class FileLimit {
public:
    explicit FileLimit(rlim_t soft) {
        REQUIRE(getrlimit(RLIMIT_NOFILE, &saved_) == 0);
        rlimit lowered = saved_;
        lowered.rlim_cur = soft;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    }
    ~FileLimit() { setrlimit(RLIMIT_NOFILE, &saved_); }
    FileLimit(const FileLimit &) = delete;
    FileLimit &operator=(const FileLimit &) = delete;

private:
    rlimit saved_{};
};

// The highest descriptor open, plus one: a limit at it leaves none free.
rlim_t descriptors_in_use() {
    int highest = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    return static_cast<rlim_t>(highest) + 1;
}

// CPU time this process has used, all threads.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Raw syscalls only: while no descriptor is free, Poco's timed receive
// cannot make its epoll set. The status of the first answer on `fd`, 0 if
// none came within `timeout`.
int raw_status_of(int fd, std::chrono::milliseconds timeout) {
    std::string answer;
    pollfd ready{fd, POLLIN, 0};
    while (answer.find("\r\n") == std::string::npos &&
           ::poll(&ready, 1, static_cast<int>(timeout.count())) == 1) {
        char buffer[512];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return raw_status(answer);
}

}  // namespace

TEST_CASE("out of descriptors: open connections are served, a waiting one once one frees") {
    Served s;
    const std::string post = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n";
    Poco::Net::StreamSocket open = connect_raw(s.port);
    send_all(open, post + "open");
    REQUIRE(raw_status(read_answer(open, 5000ms)) == 200);

    // Made before the table fills: connecting it needs no new descriptor here.
    const int waiting = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(waiting >= 0);
    std::vector<int> fillers;
    {
        FileLimit limit(descriptors_in_use() + 16);
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) fillers.push_back(fd);
        REQUIRE(errno == EMFILE);

        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(s.port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(waiting, reinterpret_cast<const sockaddr *>(&to), sizeof to) == 0);
        const std::string request = post + "wait";
        REQUIRE(::send(waiting, request.data(), request.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(request.size()));
        // The server cannot accept it (no descriptor). It must not spin on the
        // listening socket meanwhile (a spinning loop burns the whole wait),
        // and the connection it already has is served.
        const double cpu_before = cpu_seconds();
        CHECK(raw_status_of(waiting, 500ms) == 0);
        CHECK(cpu_seconds() - cpu_before < 0.25);
        const std::string again = post + "more";
        REQUIRE(::send(open.impl()->sockfd(), again.data(), again.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(again.size()));
        CHECK(raw_status_of(open.impl()->sockfd(), 5000ms) == 200);
        for (const int fd : fillers) ::close(fd);
    }
    // Accepting resumes on its own once descriptors are free again.
    CHECK(raw_status_of(waiting, 5000ms) == 200);
    ::close(waiting);
    REQUIRE(s.host.trigger_count() == 3);
    CHECK(s.host.triggers()[2].body == "wait");
}
