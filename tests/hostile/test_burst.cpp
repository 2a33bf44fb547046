// A burst of a thousand connections, each one POST and close, against a host
// whose run queue is small: every client gets 200 or 503 + Retry-After, and
// every 200 runs exactly once.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hostile_support.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

// An nb_host_t with a bounded queue drained by one worker, like nb-host's.
class BoundedHost {
public:
    explicit BoundedHost(std::size_t capacity) : capacity_(capacity) {
        host_.abi = NB_VERSION_INIT;
        host_.host_data = this;
        host_.trigger = on_trigger;
        host_.log = [](const nb_host_t *, const nb_node_t *, nb_log_level_t, const char *) {};
        worker_ = std::thread([this] { drain(); });
    }
    ~BoundedHost() { close(); }

    const nb_host_t *host() const { return &host_; }

    // Stops accepting, runs what was accepted, and returns every run's body.
    std::map<std::string, int> close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
        if (worker_.joinable()) worker_.join();
        return runs_;
    }

private:
    static nb_trigger_result_t on_trigger(const nb_host_t *host, const nb_node_t *,
                                          const nb_event_t *event) {
        auto &self = *static_cast<BoundedHost *>(host->host_data);
        std::lock_guard lock(self.mutex_);
        if (self.closed_) return NB_TRIGGER_FAILED;
        if (self.queue_.size() >= self.capacity_) return NB_TRIGGER_QUEUE_FULL;
        self.queue_.emplace_back(event->body, event->body_len);
        self.changed_.notify_all();
        return NB_TRIGGER_ACCEPTED;
    }

    void drain() {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [this] { return closed_ || !queue_.empty(); });
            if (queue_.empty()) return;
            ++runs_[queue_.front()];
            queue_.pop_front();
            lock.unlock();
            std::this_thread::sleep_for(200us);  // a run takes a little time
            lock.lock();
        }
    }

    nb_host_t host_{};
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool closed_ = false;
    std::deque<std::string> queue_;
    std::map<std::string, int> runs_;
    std::thread worker_;
};

}  // namespace

TEST_CASE("a burst of 1000 connections: each 200 or 503 with Retry-After, each 200 run once") {
    constexpr int kClients = 40;
    constexpr int kPerClient = 25;
    BoundedHost host(8);
    const std::uint16_t port = free_port();
    {
        nb::webhook::WebhookNode node("hook", host.host());
        const nb_node_t *n = node.abi();
        REQUIRE(n->set_widget(n, "port", std::to_string(port).c_str()) == NB_OK);
        REQUIRE(n->start(n) == NB_OK);

        std::mutex mutex;
        std::map<std::string, int> statuses;  // body -> status
        int without_retry_after = 0;
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
                    if (status == 503 && answer.find("Retry-After:") == std::string::npos) {
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
        CHECK(runs.size() == static_cast<std::size_t>(ok));
    }
}
