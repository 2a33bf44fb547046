// How a real net::Server tells each exchange's end: to its handler
// (on_finished) or, without one, to its factory (on_unhandled), once, with
// the status, body bytes, head and how it ended.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net_helpers.hpp"
#include "server/exchange.hpp"
#include "server/server.hpp"

using namespace nb::net;
using namespace nb::test;
using namespace std::chrono_literals;

namespace {

// One ended exchange, copied.
struct Seen {
    bool handled;  // on_finished, not on_unhandled
    int status;
    int tag;
    std::uint64_t body_bytes;
    Clock::duration duration;
    Ending ending;
    std::optional<std::string> method;  // none when the head was not parsed
    std::string target;
    std::string peer;
};

// Handlers by target: /refuse answers 403 from the head, /park parks until
// the test answers (Recorder::responder) or its due passes, anything else
// answers 200 with tag 7 once the body (at most 16 bytes) is read.
class Recorder : public RequestHandlerFactory {
public:
    std::unique_ptr<RequestHandler> create(const RequestHead &) override {
        return std::make_unique<Handler>(*this);
    }
    void on_unhandled(const Exchange &exchange) noexcept override { add(exchange, false); }

    // The n-th exchange to end (from 0), once it has.
    Seen seen(std::size_t n) {
        std::unique_lock lock(mutex_);
        REQUIRE(changed_.wait_for(lock, 10s, [&] { return seen_.size() > n; }));
        return seen_[n];
    }
    std::size_t seen_count() {
        std::lock_guard lock(mutex_);
        return seen_.size();
    }
    Responder responder() {
        std::unique_lock lock(mutex_);
        REQUIRE(changed_.wait_for(lock, 10s, [&] { return responder_.has_value(); }));
        return *responder_;
    }

    Clock::duration park_for = 30s;
    std::atomic<bool> abandon{false};

private:
    class Handler : public RequestHandler {
    public:
        explicit Handler(Recorder &owner) : owner_(owner) {}
        std::optional<Answer> on_head(const RequestHead &head, const Peer &) override {
            if (head.target == "/refuse") return error_answer(403, "refused");
            return std::nullopt;
        }
        std::uint64_t max_body_bytes() const noexcept override { return 16; }
        std::optional<Answer> on_body(const RequestHead &head, std::string &, const Peer &,
                                      Parker &parker) override {
            if (head.target == "/park") {
                const Responder responder = parker.park(
                    Clock::now() + owner_.park_for,
                    std::make_shared<const Answer>(error_answer(504, "late")));
                std::lock_guard lock(owner_.mutex_);
                owner_.responder_ = responder;
                owner_.changed_.notify_all();
                return std::nullopt;
            }
            Answer answer = json_answer(200, "{}");
            answer.tag = 7;
            return answer;
        }
        bool abandoned() const noexcept override { return owner_.abandon; }
        void on_finished(const Exchange &exchange) noexcept override {
            owner_.add(exchange, true);
        }

    private:
        Recorder &owner_;
    };

    void add(const Exchange &e, bool handled) noexcept {
        std::lock_guard lock(mutex_);
        seen_.push_back({handled, e.status, e.tag, e.body_bytes, e.duration, e.ending,
                         e.head ? std::optional<std::string>(e.head->method) : std::nullopt,
                         e.head ? e.head->target : "", e.peer.text});
        changed_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Seen> seen_;
    std::optional<Responder> responder_;
};

// A server with one loop and a read timeout of 1 s on a free loopback port.
struct Served {
    Recorder handlers;
    std::uint16_t port = free_port();
    std::unique_ptr<Server> server =
        std::make_unique<Server>(ServerOptions{"127.0.0.1", port, 1s, 1}, handlers);

    // Waits until the port has `n` open connections; false after 10 s.
    bool open_connections_reach(std::size_t n) const {
        const auto until = Clock::now() + 10s;
        while (server->open_connections() != n && Clock::now() < until) {
            std::this_thread::sleep_for(5ms);
        }
        return server->open_connections() == n;
    }
};

// A request that announces 10 body bytes and sends 3 of them.
const std::string kPartialBody =
    "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc";

std::string post(const std::string &target, const std::string &body) {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

// An exchange that ended without a handler, with `status`, as `ending`.
void check_unhandled(const Seen &seen, int status, Ending ending) {
    CHECK_FALSE(seen.handled);
    CHECK(seen.status == status);
    CHECK(seen.ending == ending);
    CHECK_FALSE(seen.method);
}

}  // namespace

TEST_CASE("an answered request ends once, to its handler, with its head, body and tag") {
    Served s;
    CHECK(s.server->open_connections() == 0);
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("/a?x=1", "hello"));
    CHECK(raw_status(read_answer(socket, 5000ms)) == 200);
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.handled);
    CHECK(seen.status == 200);
    CHECK(seen.tag == 7);
    CHECK(seen.body_bytes == 5);
    CHECK(seen.ending == Ending::answered);
    CHECK(seen.method == "POST");
    CHECK(seen.target == "/a?x=1");
    CHECK(seen.duration >= Clock::duration::zero());
    CHECK(seen.peer.rfind("127.0.0.1:", 0) == 0);
    // Kept alive: the connection stays open, and counted, until it closes.
    CHECK(s.open_connections_reach(1));
    socket.close();
    CHECK(s.open_connections_reach(0));
    CHECK(s.handlers.seen_count() == 1);
}

TEST_CASE("an answer decided from the head alone ends as answered, no body read") {
    Served s;
    CHECK(raw_status(raw_exchange(s.port, post("/refuse", "unread"))) == 403);
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.handled);
    CHECK(seen.status == 403);
    CHECK(seen.body_bytes == 0);
    CHECK(seen.ending == Ending::answered);
}

TEST_CASE("a head that is not HTTP ends unhandled, 400, without a head") {
    Served s;
    CHECK(raw_status(raw_exchange(s.port, "NOT HTTP AT ALL\r\n\r\n")) == 400);
    check_unhandled(s.handlers.seen(0), 400, Ending::bad_head);
}

TEST_CASE("a head not complete within read_timeout ends unhandled with 408") {
    Served s;
    CHECK(raw_status(raw_exchange(s.port, "POST /a HTTP/1.1\r\nHost:")) == 408);
    check_unhandled(s.handlers.seen(0), 408, Ending::timeout);
}

TEST_CASE("a body silent past read_timeout ends to its handler with 408 and the bytes read") {
    Served s;
    CHECK(raw_status(raw_exchange(s.port, kPartialBody)) == 408);
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.handled);
    CHECK(seen.status == 408);
    CHECK(seen.body_bytes == 3);
    CHECK(seen.ending == Ending::timeout);
    CHECK(seen.method == "POST");
}

TEST_CASE("a body over max_body_bytes ends as too_large, a broken chunked one as malformed_body") {
    Served s;
    CHECK(raw_status(raw_exchange(s.port, post("/a", std::string(17, 'x')))) == 413);
    CHECK(s.handlers.seen(0).ending == Ending::too_large);
    CHECK(s.handlers.seen(0).status == 413);
    const std::string chunked =
        "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
    CHECK(raw_status(raw_exchange(s.port, chunked)) == 400);
    CHECK(s.handlers.seen(1).ending == Ending::malformed_body);
    CHECK(s.handlers.seen(1).handled);
}

TEST_CASE("a parked request answered later ends once its answer is written") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("/park", "wait"));
    Answer answer = json_answer(202, "{}");
    answer.tag = 3;
    CHECK(s.handlers.responder().answer(std::move(answer)));
    CHECK(raw_status(read_answer(socket, 5000ms)) == 202);
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.handled);
    CHECK(seen.status == 202);
    CHECK(seen.tag == 3);
    CHECK(seen.body_bytes == 4);
    CHECK(seen.ending == Ending::answered);
}

TEST_CASE("a parked request past its due ends as answer_timeout") {
    Served s;
    s.handlers.park_for = 200ms;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("/park", "wait"));
    CHECK(raw_status(read_answer(socket, 5000ms)) == 504);
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.status == 504);
    CHECK(seen.ending == Ending::answer_timeout);
}

TEST_CASE("a client leaving while parked ends as client_gone with status 0; the answer is dropped") {
    Served s;
    {
        Poco::Net::StreamSocket socket = connect_raw(s.port);
        send_all(socket, post("/park", "wait"));
        s.handlers.responder();
        socket.close();
    }
    const Seen seen = s.handlers.seen(0);
    CHECK(seen.handled);
    CHECK(seen.status == 0);
    CHECK(seen.ending == Ending::client_gone);
    CHECK(seen.body_bytes == 4);
    CHECK(s.handlers.responder().answer(json_answer(200, "{}")));
    CHECK(s.open_connections_reach(0));
    CHECK(s.handlers.seen_count() == 1);
}

TEST_CASE("a stopping server's 503 to a head still arriving ends unhandled as stopping") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, "POST /a HTTP/1.1\r\nHo");
    CHECK(s.open_connections_reach(1));
    // The bytes sent are read before the stop: the request has begun.
    std::thread stopping([&] {
        std::this_thread::sleep_for(200ms);
        s.server.reset();
    });
    const std::string answer = read_until_close(socket, 5000ms);
    stopping.join();
    CHECK(raw_status(answer) == 503);
    check_unhandled(s.handlers.seen(0), 503, Ending::stopping);
}

TEST_CASE("a handler abandoned while its body is read ends as abandoned with 503") {
    Served s;
    s.handlers.abandon = true;
    CHECK(raw_status(raw_exchange(s.port, kPartialBody)) == 503);
    CHECK(s.handlers.seen(0).ending == Ending::abandoned);
    CHECK(s.handlers.seen(0).status == 503);
}

TEST_CASE("pipelined requests each end once, in order") {
    Served s;
    Poco::Net::StreamSocket socket = connect_raw(s.port);
    send_all(socket, post("/one", "1") + post("/two", "22") +
                         "POST /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         "Content-Length: 3\r\n\r\n333");
    read_until_close(socket, 5000ms);
    CHECK(s.handlers.seen(0).target == "/one");
    CHECK(s.handlers.seen(1).target == "/two");
    CHECK(s.handlers.seen(2).target == "/three");
    CHECK(s.handlers.seen(2).body_bytes == 3);
    CHECK(s.open_connections_reach(0));
    CHECK(s.handlers.seen_count() == 3);
}
