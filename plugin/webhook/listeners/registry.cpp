#include "registry.hpp"

#include <cerrno>
#include <system_error>

#include <Poco/Net/NetException.h>

#include "json_text.hpp"
#include "metrics/report.hpp"

namespace nb::webhook {

namespace {

std::string bind_text(const std::string &bind) {
    return bind.empty() ? "all interfaces (bind \"\")" : "bind " + json_string(bind);
}

// One server per port means one address and one timeout per port: a node
// asking for others is refused rather than silently given the port's. ""
// when the settings agree.
std::string settings_conflict(std::uint16_t port, Listener &listener, const std::string &node,
                              const PortSettings &wanted) {
    const PortSettings &have = listener.settings();
    std::string setting, has, asks;
    const auto differs = [&](const char *name, const std::string &a, const std::string &b) {
        if (!setting.empty() || a == b) return;
        setting = name;
        has = setting + " " + a;
        asks = setting + " " + b;
    };
    if (have.bind != wanted.bind) {
        setting = "bind";
        has = bind_text(have.bind);
        asks = bind_text(wanted.bind);
    }
    differs("read_timeout_s", std::to_string(have.read_timeout_s),
            std::to_string(wanted.read_timeout_s));
    differs("tls_cert", json_string(have.tls.cert), json_string(wanted.tls.cert));
    differs("tls_key", json_string(have.tls.key), json_string(wanted.tls.key));
    differs("tls_client_ca", json_string(have.tls.client_ca), json_string(wanted.tls.client_ca));
    differs("tls_reload_s", std::to_string(have.tls_reload_s), std::to_string(wanted.tls_reload_s));
    if (setting.empty()) return "";
    return "port " + std::to_string(port) + " runs with " + has + " for node " +
           json_string(listener.routes().any_owner()) + "; node " + json_string(node) +
           " asks for " + asks + ": nodes sharing a port must have the same " + setting;
}

}  // namespace

ListenerRegistry &ListenerRegistry::instance() {
    static ListenerRegistry registry;
    return registry;
}

nb_status_t ListenerRegistry::attach(std::uint16_t port, const PortSettings &settings,
                                     RouteTable::Route route, std::string &error,
                                     std::string &warning) {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(port);
    if (it != listeners_.end()) {
        error = settings_conflict(port, *it->second, route.owner, settings);
        if (!error.empty()) return NB_ERR_INVALID;
    } else {
        try {
            auto &unrouted = unrouted_[port];
            if (!unrouted) unrouted = std::make_shared<metrics::CodeCounts>();
            it = listeners_.emplace(port, std::make_unique<Listener>(port, settings, unrouted))
                     .first;
            warning = it->second->tls_warning();
        } catch (const net::tls::TlsFileError &e) {
            error = e.what();
            return e.kind == net::tls::TlsFileError::Kind::unreadable ? NB_ERR_IO : NB_ERR_INVALID;
        } catch (const Poco::Exception &e) {
            const bool in_use = e.code() == EADDRINUSE ||
                                e.displayText().find("in use") != std::string::npos;
            error = "port " + std::to_string(port) +
                    (in_use ? " is in use by another program"
                            : " cannot be listened on: " + e.displayText());
            return NB_ERR_IO;
        } catch (const std::runtime_error &e) {  // no thread, or OpenSSL failing
            error = "port " + std::to_string(port) + " cannot be served: " + e.what();
            return NB_ERR_IO;
        }
    }
    const std::string path = route.path;
    const std::string node = route.owner;
    const auto holder = it->second->routes().add(std::move(route));
    if (!holder) return NB_OK;
    error = "port " + std::to_string(port) + " path " + json_string(path) +
            " is already in use by node " + json_string(*holder) + "; node " +
            json_string(node) + " cannot listen there too";
    return NB_ERR_IN_USE;
}

void ListenerRegistry::detach(std::uint16_t port, std::string_view path,
                              const net::RequestHandlerFactory &handlers) noexcept {
    std::unique_ptr<Listener> last;
    {
        std::lock_guard lock(mutex_);
        const auto it = listeners_.find(port);
        if (it == listeners_.end()) return;
        if (it->second->routes().remove(path, handlers)) {
            last = std::move(it->second);
            listeners_.erase(it);
        }
    }
    // Outside the lock: other ports keep starting and stopping meanwhile.
    last.reset();
}

void ListenerRegistry::retain() {
    std::lock_guard lock(mutex_);
    ++users_;
}

void ListenerRegistry::release() {
    std::map<std::uint16_t, std::unique_ptr<Listener>> left;
    {
        std::lock_guard lock(mutex_);
        if (users_ == 0 || --users_ > 0) return;
        left.swap(listeners_);
    }
}

void ListenerRegistry::add_node(std::shared_ptr<const metrics::NodeMetrics> node) {
    std::lock_guard lock(mutex_);
    nodes_.push_back(std::move(node));
}

void ListenerRegistry::remove_node(const metrics::NodeMetrics &node) noexcept {
    std::lock_guard lock(mutex_);
    for (auto it = nodes_.begin(); it != nodes_.end(); ++it) {
        if (it->get() != &node) continue;
        nodes_.erase(it);
        return;
    }
}

void ListenerRegistry::report(const nb_metrics_sink_t &sink) {
    std::vector<std::shared_ptr<const metrics::NodeMetrics>> nodes;
    std::vector<metrics::PortCounts> ports;
    {
        std::lock_guard lock(mutex_);
        nodes = nodes_;
        for (const auto &[port, unrouted] : unrouted_) {
            const auto listener = listeners_.find(port);
            const bool listening = listener != listeners_.end();
            metrics::PortCounts counts{port, listening,
                                       listening ? listener->second->open_connections() : 0, {}};
            unrouted->each([&](int status, std::uint64_t count) {
                counts.unrouted.emplace_back(status, count);
            });
            ports.push_back(std::move(counts));
        }
    }
    metrics::report(sink, nodes, ports);
}

}  // namespace nb::webhook
