// A burst of a thousand connections, each one POST and close, against a host
// whose run queue is small: every client gets 200 or 503 + "Retry-After: 1",
// and every 200 runs exactly once. The queue is nb-host's own RunQueue.
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <scheduling/run_queue.hpp>

#include "hostile_support.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

// An nb_host_t whose trigger pushes into nb-host's RunQueue, served by one
// worker: the queue's capacity is what turns a burst into 503s.
class QueuedHost {
public:
    explicit QueuedHost(std::size_t capacity)
        : queue_(1, nb::host::QueueLimits{capacity}, [this](std::string &body) { run(body); }) {
        host_.abi = NB_VERSION_INIT;
        host_.host_data = this;
        host_.trigger = on_trigger;
        host_.log = [](const nb_host_t *, const nb_node_t *, nb_log_level_t, const char *) {};
    }

    const nb_host_t *host() const { return &host_; }

    // Stops accepting, runs what was accepted, and returns every run's body
    // with the number of times it ran.
    std::map<std::string, int> close() {
        queue_.close();
        std::lock_guard lock(mutex_);
        return runs_;
    }

private:
    static nb_trigger_result_t on_trigger(const nb_host_t *host, const nb_node_t *,
                                          const nb_event_t *event) {
        auto &self = *static_cast<QueuedHost *>(host->host_data);
        try {
            return self.queue_.push(std::string(event->body, event->body_len));
        } catch (...) {
            return NB_TRIGGER_FAILED;
        }
    }

    void run(const std::string &body) {
        {
            std::lock_guard lock(mutex_);
            ++runs_[body];
        }
        std::this_thread::sleep_for(200us);  // a run takes a little time
    }

    nb_host_t host_{};
    std::mutex mutex_;
    std::map<std::string, int> runs_;
    nb::host::RunQueue<std::string> queue_;  // last: its worker uses the above
};

// Whether the answer's head has the header line `line` ("Name: value"), exactly.
bool has_header_line(const std::string &answer, const std::string &line) {
    const auto end = answer.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    return answer.substr(0, end + 2).find("\r\n" + line + "\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a burst of 1000 connections: each 200 or 503 with Retry-After, each 200 run once") {
    constexpr int kClients = 40;
    constexpr int kPerClient = 25;
    QueuedHost host(8);
    const std::uint16_t port = free_port();
    {
        nb::webhook::WebhookNode node("hook", host.host());
        const nb_node_t *n = node.abi();
        REQUIRE(n->set_widget(n, "port", std::to_string(port).c_str()) == NB_OK);
        REQUIRE(n->start(n) == NB_OK);

        std::mutex mutex;
        std::map<std::string, int> statuses;  // body -> status
        int without_retry_after = 0;  // 503s lacking "Retry-After: 1"
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c) {
            clients.emplace_back([&, c] {
                for (int i = 0; i < kPerClient; ++i) {
                    const std::string body = std::to_string(c) + "-" + std::to_string(i);
                    const std::string answer = raw_exchange(
                        port,
                        "POST /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
                        10000ms);
                    const int status = raw_status(answer);
                    std::lock_guard lock(mutex);
                    statuses[body] = status;
                    if (status == 503 && !has_header_line(answer, "Retry-After: 1")) {
                        ++without_retry_after;
                    }
                }
            });
        }
        for (auto &t : clients) t.join();
        n->stop(n);

        const std::map<std::string, int> runs = host.close();
        REQUIRE(statuses.size() == kClients * kPerClient);
        int ok = 0, full = 0, other = 0, wrong_runs = 0;
        for (const auto &[body, status] : statuses) {
            const auto it = runs.find(body);
            const int ran = it == runs.end() ? 0 : it->second;
            if (status == 200) {
                ++ok;
                wrong_runs += ran != 1;
            } else if (status == 503) {
                ++full;
                wrong_runs += ran != 0;
            } else {
                ++other;
            }
        }
        MESSAGE("200: " << ok << ", 503: " << full);
        CHECK(other == 0);
        CHECK(wrong_runs == 0);
        CHECK(without_retry_after == 0);
        CHECK(ok > 0);
        CHECK(full > 0);  // or the Retry-After check above checked nothing
        CHECK(runs.size() == static_cast<std::size_t>(ok));
    }
}
