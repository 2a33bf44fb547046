#include "registry.hpp"

#include <cerrno>

#include <Poco/Net/NetException.h>

#include "json_text.hpp"

namespace nb::webhook {

namespace {

// One server per port means one timeout per port: the node that started it
// chose it, and a later node asking for another is refused rather than
// silently given a different one.
std::string read_timeout_conflict(std::uint16_t port, const Listener &listener,
                                  const std::string &node_id, unsigned wanted) {
    return "port " + std::to_string(port) + " runs with read_timeout_s " +
           std::to_string(listener.read_timeout_s()) + " set by node " +
           json_string(listener.owner()) + ", which started it; node " + json_string(node_id) +
           " asks for " + std::to_string(wanted) +
           ": nodes sharing a port must have the same read_timeout_s";
}

}  // namespace

ListenerRegistry &ListenerRegistry::instance() {
    static ListenerRegistry registry;
    return registry;
}

nb_status_t ListenerRegistry::attach(std::uint16_t port, unsigned read_timeout_s,
                                     std::shared_ptr<RouteTarget> target, std::string &error) {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(port);
    if (it == listeners_.end()) {
        try {
            it = listeners_
                     .emplace(port, std::make_unique<Listener>(port, read_timeout_s,
                                                               target->node_id))
                     .first;
        } catch (const Poco::Exception &e) {
            const bool in_use = e.code() == EADDRINUSE ||
                                e.displayText().find("in use") != std::string::npos;
            error = "port " + std::to_string(port) +
                    (in_use ? " is in use by another program"
                            : " cannot be listened on: " + e.displayText());
            return NB_ERR_IO;
        }
    }
    if (it->second->read_timeout_s() != read_timeout_s) {
        error = read_timeout_conflict(port, *it->second, target->node_id, read_timeout_s);
        return NB_ERR_INVALID;
    }
    const auto holder = it->second->routes().add(target);
    if (!holder) return NB_OK;
    error = "port " + std::to_string(port) + " path " + json_string(target->path) +
            " is already in use by node " + json_string(holder->node_id) + "; node " +
            json_string(target->node_id) + " cannot listen there too";
    return NB_ERR_IN_USE;
}

void ListenerRegistry::detach(std::uint16_t port, RouteTarget &target) {
    std::unique_ptr<Listener> last;
    {
        std::lock_guard lock(mutex_);
        const auto it = listeners_.find(port);
        if (it == listeners_.end()) return;
        if (it->second->routes().remove(target)) {
            last = std::move(it->second);
            listeners_.erase(it);
        }
    }
    // Outside the lock: handlers finishing their request must still be able
    // to route, and other ports must keep starting and stopping meanwhile.
    last.reset();
    target.wait_idle();
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

}  // namespace nb::webhook
