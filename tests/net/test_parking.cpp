// Parked requests on a real net::Server: a handler answers later, from any
// thread, while the loop serves every other connection.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "net_helpers.hpp"
#include "server/server.hpp"

using namespace nb::net;
using namespace nb::test;
using namespace std::chrono_literals;

namespace {

// What the handler does with a body: "return…" answers at once, "inline…"
// parks and answers inside on_body, "forget…" neither answers nor parks (a
// bug), anything else parks and waits for the test to answer through
// Parking::responder. Every answer's body is the
// request's.
class Parking : public RequestHandlerFactory {
public:
    std::unique_ptr<RequestHandler> create(const RequestHead &) override {
        return std::make_unique<Handler>(*this);
    }

    // The n-th request parked for the test (from 0), once it is.
    Responder responder(std::size_t n) {
        std::unique_lock lock(mutex_);
        REQUIRE(parked_changed_.wait_for(lock, 10s, [&] { return parked_.size() > n; }));
        return parked_[n];
    }
    std::size_t live_handlers() const { return live_; }

    Clock::duration timeout = 30s;
    std::shared_ptr<const Answer> on_timeout = std::make_shared<const Answer>(json_answer(504, "late"));
    std::atomic<bool> inline_answer_won{false};

private:
    class Handler : public RequestHandler {
    public:
        explicit Handler(Parking &owner) : owner_(owner) { ++owner_.live_; }
        ~Handler() override { --owner_.live_; }

        std::optional<Answer> on_head(const RequestHead &, const Peer &) override {
            return std::nullopt;
        }
        std::uint64_t max_body_bytes() const noexcept override { return 1 << 20; }
        std::optional<Answer> on_body(const RequestHead &, std::string &body, const Peer &,
                                      Parker &parker) override {
            if (body.rfind("return", 0) == 0) return json_answer(200, body);
            if (body.rfind("forget", 0) == 0) return std::nullopt;
            const Responder responder =
                parker.park(Clock::now() + owner_.timeout, owner_.on_timeout);
            if (body.rfind("inline", 0) == 0) {
                owner_.inline_answer_won = responder.answer(json_answer(200, body));
            } else {
                std::lock_guard lock(owner_.mutex_);
                owner_.parked_.push_back(responder);
                owner_.parked_changed_.notify_all();
            }
            return std::nullopt;
        }

    private:
        Parking &owner_;
    };

    std::mutex mutex_;
    std::condition_variable parked_changed_;
    std::vector<Responder> parked_;
    std::atomic<std::size_t> live_{0};
};

// A server on a free loopback port with two loops, handing requests to `handlers`.
struct Served {
    Parking handlers;
    std::uint16_t port = free_port();
    std::unique_ptr<Server> server =
        std::make_unique<Server>(ServerOptions{"127.0.0.1", port, 10s, 2}, handlers);
};

std::string post(const std::string &body, bool close = false) {
    return "POST /p HTTP/1.1\r\nHost: x\r\n" + std::string(close ? "Connection: close\r\n" : "") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The body of a raw answer.
std::string body_of(const std::string &answer) {
    const auto end = answer.find("\r\n\r\n");
    return end == std::string::npos ? "" : answer.substr(end + 4);
}

// Answers `responder` after `delay` on a thread of its own; the result of
// answer() lands in *won.
std::thread answer_later(Responder responder, std::string body, std::chrono::milliseconds delay,
                         std::atomic<int> *won) {
    return std::thread([=] {
        std::this_thread::sleep_for(delay);
        *won = responder.answer(json_answer(200, body)) ? 1 : 0;
    });
}

}  // namespace

TEST_CASE("an answer given inside on_body is sent once it returns") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    for (const char *body : {"inline-1", "inline-2"}) {  // and the connection is kept
        send_all(socket, post(body));
        const std::string answer = read_answer(socket, 5000ms);
        CHECK(raw_status(answer) == 200);
        CHECK(body_of(answer) == body);
    }
    CHECK(s.handlers.inline_answer_won);
}

TEST_CASE("a handler giving no answer without parking gets 500, not a hung connection") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("forget"));
    CHECK(raw_status(read_answer(socket, 5000ms)) == 500);
}

TEST_CASE("an answer from another thread arrives; only the first answer wins") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("wait"));
    const Responder responder = s.handlers.responder(0);
    std::atomic<int> won{-1};
    std::thread([&] {
        std::this_thread::sleep_for(200ms);
        won = responder.answer(json_answer(200, "first")) ? 1 : 0;
    }).join();
    CHECK(won == 1);
    CHECK_FALSE(responder.answer(json_answer(200, "second")));
    const std::string answer = read_answer(socket, 5000ms);
    CHECK(raw_status(answer) == 200);
    CHECK(body_of(answer) == "first");
    // The connection goes on with the next request.
    send_all(socket, post("return-next"));
    CHECK(body_of(read_answer(socket, 5000ms)) == "return-next");
}

TEST_CASE("a parked request nobody answers gets its timeout answer; a later answer loses") {
    Served s;
    s.handlers.timeout = 300ms;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("wait"));
    const std::string answer = read_answer(socket, 5000ms);
    CHECK(raw_status(answer) == 504);
    CHECK(body_of(answer) == "late");
    CHECK_FALSE(s.handlers.responder(0).answer(json_answer(200, "too late")));
}

TEST_CASE("a client leaving while parked closes its connection; a later answer is dropped") {
    Served s;
    {
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        send_all(socket, post("wait"));
        s.handlers.responder(0);
        socket.close();
    }
    // Closed at once, not at the request's due (30 s): its handler is gone.
    const auto until = Clock::now() + 5s;
    while (s.handlers.live_handlers() > 0 && Clock::now() < until) std::this_thread::sleep_for(10ms);
    CHECK(s.handlers.live_handlers() == 0);
    // The first answer, so it wins; there is no one left to send it to.
    CHECK(s.handlers.responder(0).answer(json_answer(200, "nobody")));

    Poco::Net::StreamSocket next = connect_raw(s.port);
    send_all(next, post("return-alive"));
    CHECK(body_of(read_answer(next, 5000ms)) == "return-alive");
}

TEST_CASE("requests pipelined behind a parked one are answered after it, in order") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("wait-1") + post("return-2") + post("inline-3", true));
    std::atomic<int> won{-1};
    std::thread answering = answer_later(s.handlers.responder(0), "answer-1", 200ms, &won);
    const std::string answers = read_until_close(socket, 5000ms);
    answering.join();
    CHECK(won == 1);
    const auto first = answers.find("answer-1");
    const auto second = answers.find("return-2");
    const auto third = answers.find("inline-3");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
}

TEST_CASE("past 64 KiB pipelined behind a parked request, the rest is read once it is answered") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    const std::string big = "return-" + std::string(300 * 1024, 'x');
    const std::string bytes = post("wait") + post(big, true);
    // On a thread of its own: the kernel's buffers may not hold what the server leaves unread.
    std::thread sending([&] { socket.sendBytes(bytes.data(), static_cast<int>(bytes.size())); });
    std::atomic<int> won{-1};
    std::thread answering = answer_later(s.handlers.responder(0), "answer-1", 300ms, &won);
    const std::string answers = read_until_close(socket, 5000ms);
    answering.join();
    sending.join();
    const auto first = answers.find("answer-1");
    CHECK(first != std::string::npos);
    CHECK(answers.find(big) > first);
    CHECK(answers.find(big) != std::string::npos);
}

TEST_CASE("a client leaving while parked with its input full is noticed all the same") {
    Served s;
    {
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        send_all(socket, post("wait") + post("return-" + std::string(100 * 1024, 'x')));
        s.handlers.responder(0);
        socket.close();
    }
    const auto until = Clock::now() + 5s;
    while (s.handlers.live_handlers() > 0 && Clock::now() < until) std::this_thread::sleep_for(10ms);
    CHECK(s.handlers.live_handlers() == 0);
}

TEST_CASE("a stopping server delivers an answer that comes within the drain time") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("wait"));
    std::atomic<int> won{-1};
    std::thread answering = answer_later(s.handlers.responder(0), "drained", 300ms, &won);
    s.server.reset();  // returns once the answer is out
    answering.join();
    CHECK(won == 1);
    bool closed = false;
    const std::string answer = read_until_close(socket, 5000ms, &closed);
    CHECK(raw_status(answer) == 200);
    CHECK(body_of(answer) == "drained");
    CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(closed);
}

TEST_CASE("a stopping server answers 503 to a parked request still unanswered at the drain's end") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("wait"));
    const Responder responder = s.handlers.responder(0);
    s.server.reset();
    const std::string answer = read_until_close(socket, 5000ms);
    CHECK(raw_status(answer) == 503);
    CHECK(body_of(answer).find("the server is stopping; retry later") != std::string::npos);
    // After the server is gone: no effect, and no crash.
    CHECK_FALSE(responder.answer(json_answer(200, "after the server")));
}

TEST_CASE("a thousand parked requests: a new POST is still answered, then each gets its own") {
    constexpr std::size_t kParked = 1000;
    // Each parked client costs this process two descriptors, its socket and the server's.
    rlimit files{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
    const rlim_t needed = 2 * kParked + 256;
    if (files.rlim_cur < needed) {
        files.rlim_cur = std::min(needed, files.rlim_max);
        REQUIRE(setrlimit(RLIMIT_NOFILE, &files) == 0);
    }
    REQUIRE(files.rlim_cur >= needed);

    Served s;
    std::vector<Poco::Net::StreamSocket> clients;
    clients.reserve(kParked);
    for (std::size_t i = 0; i < kParked; ++i) {
        clients.push_back(connect_raw(s.port));
        send_all(clients.back(), post("wait"));
    }
    std::vector<Responder> responders;
    for (std::size_t i = 0; i < kParked; ++i) responders.push_back(s.handlers.responder(i));

    Poco::Net::StreamSocket fresh = connect_raw(s.port);
    send_all(fresh, post("return-fresh"));
    CHECK(body_of(read_answer(fresh, 5000ms)) == "return-fresh");

    // Answered in the order they parked, which is not the order of the clients.
    std::thread releasing([&] {
        for (std::size_t i = 0; i < kParked; ++i) {
            responders[i].answer(json_answer(200, "released-" + std::to_string(i)));
        }
    });
    std::vector<std::string> bodies;
    for (auto &client : clients) bodies.push_back(body_of(read_answer(client, 10000ms)));
    releasing.join();
    std::sort(bodies.begin(), bodies.end());
    CHECK(std::unique(bodies.begin(), bodies.end()) == bodies.end());
    const auto released = std::count_if(bodies.begin(), bodies.end(), [](const std::string &b) {
        return b.rfind("released-", 0) == 0;
    });
    CHECK(released == static_cast<long>(kParked));
}
