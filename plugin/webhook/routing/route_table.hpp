#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <nb/host.h>

#include "metrics/access_log.hpp"
#include "metrics/code_counts.hpp"
#include "server/request_handler.hpp"

namespace nb::webhook {

// One port's routes: a request's exact path (as sent, query string ignored)
// to the handlers of the node listening there; any other path gets 404.
// Read by every request, written by start and stop: a shared mutex keeps
// lookups concurrent. Counts the requests that reached no route, and has
// them recorded through the access log of some node on the port.
class RouteTable : public net::RequestHandlerFactory {
public:
    struct Route {
        std::string path;
        std::string owner;  // the node's id, to name it in errors
        std::shared_ptr<net::RequestHandlerFactory> handlers;
        metrics::AccessLog access_log;  // its node's host's; empty when none
        // Where its node logs (the node's host), for what concerns the port.
        const nb_host_t *host = nullptr;
        const nb_node_t *node = nullptr;
    };

    // `unrouted` counts the port's requests that reach no route; it may
    // outlive the table (the port's counts go on across its restarts).
    explicit RouteTable(std::uint16_t port = 0,
                        std::shared_ptr<metrics::CodeCounts> unrouted =
                            std::make_shared<metrics::CodeCounts>())
        : port_(port), unrouted_(std::move(unrouted)) {}

    // [main-thread] Adds `route`. Returns the owner already holding its path
    // (nothing added), or nullopt on success.
    std::optional<std::string> add(Route route);

    // [main-thread] Removes the route of `path` if it leads to `handlers`;
    // once this returns, no request is handed to them any more. Returns true
    // when the table is empty afterwards.
    bool remove(std::string_view path, const net::RequestHandlerFactory &handlers);

    // The owner of some route ("" if none), to name it in errors.
    std::string any_owner() const;

    // [thread-safe] One line through the host of some route's node, as that
    // node's; nothing when no route has a host.
    void log(nb_log_level_t level, const std::string &message) const;

    // [server-thread]
    std::unique_ptr<net::RequestHandler> create(const net::RequestHead &head) override;
    // [server-thread] An exchange without a handler, or on no route: counted,
    // and recorded with node NULL.
    void on_unhandled(const net::Exchange &exchange) noexcept override;

private:
    const std::uint16_t port_;
    const std::shared_ptr<metrics::CodeCounts> unrouted_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, Route, std::less<>> routes_;
};

}  // namespace nb::webhook
