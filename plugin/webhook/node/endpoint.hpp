#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nb/host.h>
#include <nb/node.h>

#include "auth/gate.hpp"
#include "server/request_handler.hpp"
#include "widgets/methods.hpp"

namespace nb::webhook {

// One started webhook node as its requests see it, frozen at start: the
// handlers of its route, and the count of its triggers in progress, so that
// stop can wait for them and for nothing else. Shared by the node and every
// handler serving it; a handler may outlive the node's stop, never call a
// trigger after it.
class Endpoint : public net::RequestHandlerFactory,
                 public std::enable_shared_from_this<Endpoint> {
public:
    Endpoint(const nb_host_t *host, const nb_node_t *node, std::string path, MethodSet methods,
             std::uint64_t max_body_bytes, std::shared_ptr<auth::Gate> gate)
        : host(host), node(node), path(std::move(path)),
          methods(std::move(methods)), allow_header("Allow: " + this->methods.text() + "\r\n"),
          max_body_bytes(max_body_bytes), gate(std::move(gate)) {}

    const nb_host_t *const host;
    const nb_node_t *const node;
    const std::string path;
    const MethodSet methods;         // those that start a run; others get 405
    const std::string allow_header;  // "Allow: <methods>\r\n", for the 405
    const std::uint64_t max_body_bytes;
    const std::shared_ptr<auth::Gate> gate;  // never null

    // [server-thread] A WebhookHandler for one request on the path.
    std::unique_ptr<net::RequestHandler> create(const net::RequestHead &head) override;

    // [server-thread] Calls the host's trigger unless the node stopped
    // (then false, and nothing is called).
    bool trigger(const nb_event_t &event, nb_trigger_result_t &result) noexcept;

    // [thread-safe] True once close() began: requests still being read are
    // answered 503.
    bool closed() const noexcept { return closed_.load(); }

    // [main-thread] No trigger starts after this; returns once none is in
    // progress. Lock-free on the request path: the mutex is taken only when
    // the last trigger in progress of a closed endpoint ends.
    void close() noexcept;

private:
    std::mutex mutex_;
    std::condition_variable idle_;
    std::atomic<bool> closed_{false};
    std::atomic<unsigned> in_trigger_{0};
};

}  // namespace nb::webhook
