#pragma once

// What the broker's unit tests share: a real Redis, the link settings that
// reach it, a log that keeps its lines, and an append waiter that tells a
// future.

#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "broker/ingest.hpp"
#include "broker/outage.hpp"
#include "redis_server.hpp"
#include "store/append_waiter.hpp"

namespace nb::test {

struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    host::BrokerLog log() {
        return [this](bool warning, const std::string &line) {
            std::lock_guard lock(mutex);
            lines.push_back((warning ? "warning: " : "info: ") + line);
        };
    }
    std::size_t containing(const std::string &text) {
        std::lock_guard lock(mutex);
        std::size_t n = 0;
        for (const std::string &line : lines) n += line.find(text) != std::string::npos;
        return n;
    }
};

inline host::LinkSettings settings_for(const RedisServer &redis) {
    host::LinkSettings settings;
    settings.url = host::parse_redis_url(redis.url());
    settings.reply_timeout = std::chrono::milliseconds(2000);
    settings.reconnect_max = std::chrono::milliseconds(100);
    return settings;
}

// One append's answer: "stored", "duplicate", "full: WHY" or "failed: WHY".
class Waiter : public host::AppendWaiter {
public:
    Waiter(std::string body, std::optional<std::string> delivery_id, std::promise<std::string> told)
        : body_(std::move(body)), delivery_id_(std::move(delivery_id)), told_(std::move(told)) {}
    host::EventRecord record() const override {
        host::EventRecord r;
        r.node = "hook";
        r.method = "POST";
        r.path = "/in";
        r.remote_addr = "127.0.0.1";
        r.headers_json = R"({"content-type":"text/plain"})";
        r.query_json = "{}";
        r.body = body_;
        if (delivery_id_) {
            r.delivery_id = *delivery_id_;
            r.dedupe_window_s = 60;
        }
        return r;
    }
    void stored(std::int64_t id) noexcept override { told_.set_value(id > 0 ? "stored" : "stored without id"); }
    void duplicate() noexcept override { told_.set_value("duplicate"); }
    void full(const char *why) noexcept override { told_.set_value(std::string("full: ") + why); }
    void failed(const char *why) noexcept override { told_.set_value(std::string("failed: ") + why); }

private:
    std::string body_;
    std::optional<std::string> delivery_id_;
    std::promise<std::string> told_;
};

// A real Redis, the settings that reach it, a log that keeps its lines and
// an ingest of workflow "wf" writing to it.
struct Broker {
    explicit Broker(std::uint64_t max_backlog = 1000) : ingest(link, outage, {"wf", max_backlog}) {}
    RedisServer redis;
    Lines lines;
    host::BrokerLog log = lines.log();
    host::Outage outage{log};
    host::LinkSettings link = settings_for(redis);
    host::BrokerIngest ingest;
};

// Appends an event of node "hook" to `ingest`; its answer (see Waiter).
inline std::string append(host::BrokerIngest &ingest, std::string body,
                          std::optional<std::string> delivery_id = std::nullopt) {
    std::promise<std::string> told;
    auto answer = told.get_future();
    ingest.append(std::make_unique<Waiter>(std::move(body), std::move(delivery_id), std::move(told)));
    return answer.get();
}

}  // namespace nb::test
