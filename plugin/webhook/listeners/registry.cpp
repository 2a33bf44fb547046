#include "registry.hpp"

#include <cerrno>

#include <Poco/Net/NetException.h>

#include "json_text.hpp"

namespace nb::webhook {

ListenerRegistry &ListenerRegistry::instance() {
    static ListenerRegistry registry;
    return registry;
}

nb_status_t ListenerRegistry::attach(std::uint16_t port, std::shared_ptr<RouteTarget> target,
                                     std::string &error) {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(port);
    if (it == listeners_.end()) {
        try {
            it = listeners_.emplace(port, std::make_unique<Listener>(port)).first;
        } catch (const Poco::Exception &e) {
            const bool in_use = e.code() == EADDRINUSE ||
                                e.displayText().find("in use") != std::string::npos;
            error = "port " + std::to_string(port) +
                    (in_use ? " is in use by another program"
                            : " cannot be listened on: " + e.displayText());
            return NB_ERR_IO;
        }
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
