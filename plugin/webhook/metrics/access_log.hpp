#pragma once

#include <cstdint>

#include <nb/access_log.h>
#include <nb/host.h>
#include <nb/node.h>

#include "refusal.hpp"
#include "server/exchange.hpp"

namespace nb::webhook::metrics {

// A host's NB_EXT_ACCESS_LOG, looked up once at a node's start; empty when
// the host offers none, and then no record is ever built.
class AccessLog {
public:
    AccessLog() = default;
    // [main-thread] `host`'s access log, if it has one.
    static AccessLog of(const nb_host_t *host) noexcept;

    explicit operator bool() const noexcept { return log_ != nullptr; }

    // What the record of one exchange says beyond the exchange itself.
    struct Context {
        const nb_node_t *node;         // null: the request reached no node
        const char *client;            // "ADDR:PORT", or the address a trusted proxy named
        std::uint16_t port;
        const char *delivery_id;       // "" when none
        Refusal refusal;
    };

    // [server-thread] Builds the record of `exchange` and hands it to the
    // host, which copies it without blocking. Never a body, a header value
    // or the query string.
    void record(const net::Exchange &exchange, const Context &context) const noexcept;

private:
    AccessLog(const nb_host_t *host, const nb_host_access_log_t *log) noexcept
        : host_(host), log_(log) {}

    const nb_host_t *host_ = nullptr;
    const nb_host_access_log_t *log_ = nullptr;
};

}  // namespace nb::webhook::metrics
