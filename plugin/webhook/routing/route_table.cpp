#include "route_table.hpp"

#include <mutex>

#include "http/request_path.hpp"

namespace nb::webhook {
namespace {

// A path no node listens on: 404, the body unread.
class NotFound : public net::RequestHandler {
public:
    explicit NotFound(RouteTable &table) : table_(table) {}

    std::optional<net::Answer> on_head(const net::RequestHead &, const net::Peer &) override {
        return net::error_answer(404, "no webhook on this path");
    }
    std::uint64_t max_body_bytes() const noexcept override { return 0; }
    std::optional<net::Answer> on_body(const net::RequestHead &, std::string &, const net::Peer &,
                                       net::Parker &) override {
        return net::error_answer(404, "no webhook on this path");
    }
    void on_finished(const net::Exchange &exchange) noexcept override {
        table_.on_unhandled(exchange);
    }

private:
    RouteTable &table_;  // outlives the server, and so every handler
};

}  // namespace

std::optional<std::string> RouteTable::add(Route route) {
    std::unique_lock lock(mutex_);
    const auto [it, inserted] = routes_.try_emplace(route.path, route);
    if (inserted) return std::nullopt;
    return it->second.owner;
}

bool RouteTable::remove(std::string_view path, const net::RequestHandlerFactory &handlers) {
    std::unique_lock lock(mutex_);
    const auto it = routes_.find(path);
    if (it != routes_.end() && it->second.handlers.get() == &handlers) routes_.erase(it);
    return routes_.empty();
}

std::string RouteTable::any_owner() const {
    std::shared_lock lock(mutex_);
    return routes_.empty() ? std::string() : routes_.begin()->second.owner;
}

void RouteTable::log(nb_log_level_t level, const std::string &message) const {
    std::shared_lock lock(mutex_);
    for (const auto &[path, route] : routes_) {
        if (!route.host || !route.host->log) continue;
        route.host->log(route.host, route.node, level, message.c_str());
        return;
    }
}

std::unique_ptr<net::RequestHandler> RouteTable::create(const net::RequestHead &head) {
    std::shared_lock lock(mutex_);
    const auto it = routes_.find(net::request_path(head.target));
    if (it == routes_.end()) return std::make_unique<NotFound>(*this);
    return it->second.handlers->create(head);
}

void RouteTable::on_unhandled(const net::Exchange &exchange) noexcept {
    unrouted_->add(exchange.status);
    // Under the lock: a route's host may be called only while it is routed.
    std::shared_lock lock(mutex_);
    for (const auto &[path, route] : routes_) {
        if (!route.access_log) continue;
        route.access_log.record(exchange, {nullptr, exchange.peer.text.c_str(), port_, "",
                                           metrics::refusal_of(exchange)});
        return;
    }
}

}  // namespace nb::webhook
