#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nb/async_trigger.h>
#include <nb/host.h>
#include <nb/node.h>

#include "auth/gate.hpp"
#include "metrics/access_log.hpp"
#include "metrics/node_metrics.hpp"
#include "server/request_handler.hpp"
#include "widgets/limits.hpp"
#include "widgets/methods.hpp"

namespace nb::webhook {

// How a started node answers, frozen at start.
struct Answering {
    Respond respond = Respond::immediately;
    std::chrono::seconds timeout{30};  // response_timeout_s
    std::uint32_t dedupe_window_s = 0;
};

// One started webhook node as its requests see it, frozen at start: the
// handlers of its route, how the host is reached (the 1.1 async trigger when
// it has one, else the 1.0 trigger), where its exchanges are counted and
// recorded, and the counts stop waits on: calls
// into the host in progress, and outcomes the host still owes. Shared by the
// node, every handler and every pending outcome; none calls the host after
// close().
class Endpoint : public net::RequestHandlerFactory,
                 public std::enable_shared_from_this<Endpoint> {
public:
    Endpoint(const nb_host_t *host, const nb_node_t *node, std::string path, MethodSet methods,
             std::uint64_t max_body_bytes, std::shared_ptr<auth::Gate> gate, Answering answering,
             std::shared_ptr<const net::Answer> timeout_answer,
             const nb_host_async_trigger_t *async, std::uint16_t port,
             std::shared_ptr<metrics::NodeMetrics> metrics, metrics::AccessLog access_log)
        : host(host), node(node), path(std::move(path)), methods(std::move(methods)),
          allow_header("Allow: " + this->methods.text() + "\r\n"),
          max_body_bytes(max_body_bytes), gate(std::move(gate)), answering(answering),
          timeout_answer(std::move(timeout_answer)), async(async), port(port),
          metrics(std::move(metrics)), access_log(access_log) {}

    const nb_host_t *const host;
    const nb_node_t *const node;
    const std::string path;
    const MethodSet methods;         // those that start a run; others get 405
    const std::string allow_header;  // "Allow: <methods>\r\n", for the 405
    const std::uint64_t max_body_bytes;
    const std::shared_ptr<auth::Gate> gate;  // never null
    const Answering answering;
    // The 504 of a parked request past answering.timeout: made once, shared
    // by every parked request of the route.
    const std::shared_ptr<const net::Answer> timeout_answer;
    const nb_host_async_trigger_t *const async;  // null: a 1.0 host, trigger only
    const std::uint16_t port;
    const std::shared_ptr<metrics::NodeMetrics> metrics;  // the node's, never null
    const metrics::AccessLog access_log;                  // empty: the host logs no requests

    // [server-thread] A WebhookHandler for one request on the path.
    std::unique_ptr<net::RequestHandler> create(const net::RequestHead &head) override;

    // [server-thread] Runs `call` (which calls the host) unless the node is
    // stopping: then false, and nothing is called.
    template <typename Call>
    bool call_host(Call &&call) noexcept {
        // Counted before closed_ is read, and close() sets closed_ before it
        // reads the count (both sequentially consistent): either close() sees
        // this call and waits for it, or this call sees closed_.
        in_call_.fetch_add(1);
        const bool open = !closed_.load();
        if (open) call();
        if (in_call_.fetch_sub(1) == 1 && closed_.load()) notify();
        return open;
    }

    // [thread-safe] An outcome the host owes for a submit made (or about to
    // be made), and its arrival.
    void outcome_owed() noexcept { owed_.fetch_add(1); }
    void outcome_settled() noexcept {
        if (owed_.fetch_sub(1) == 1 && closed_.load()) notify();
    }

    // [thread-safe] True once close() began: requests not yet handed to the
    // host are answered 503.
    bool closed() const noexcept { return closed_.load(); }

    // [main-thread] No call into the host starts after this. Waits for the
    // ones in progress, then up to `grace` for the outcomes owed, so a
    // request whose run is about to finish still gets its answer; then has
    // the host cancel the rest (nb_host_async_trigger_t.cancel_pending),
    // which delivers them before it returns. Afterwards no outcome can reach
    // this endpoint's sinks.
    void close(std::chrono::milliseconds grace) noexcept;

private:
    void notify() noexcept;

    std::mutex mutex_;
    std::condition_variable idle_;
    std::atomic<bool> closed_{false};
    std::atomic<unsigned> in_call_{0};
    std::atomic<unsigned> owed_{0};
};

}  // namespace nb::webhook
