#include "endpoint.hpp"

#include "webhook_handler.hpp"

namespace nb::webhook {

std::unique_ptr<net::RequestHandler> Endpoint::create(const net::RequestHead &) {
    return std::make_unique<WebhookHandler>(shared_from_this());
}

bool Endpoint::trigger(const nb_event_t &event, nb_trigger_result_t &result) noexcept {
    // Counted before closed_ is read, and close() sets closed_ before it
    // reads the count (both sequentially consistent): either close() sees
    // this trigger and waits for it, or this trigger sees closed_.
    in_trigger_.fetch_add(1);
    const bool open = !closed_.load();
    if (open) result = host->trigger(host, node, &event);
    if (in_trigger_.fetch_sub(1) == 1 && closed_.load()) {
        std::lock_guard lock(mutex_);
        idle_.notify_all();
    }
    return open;
}

void Endpoint::close() noexcept {
    closed_.store(true);
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return in_trigger_.load() == 0; });
}

}  // namespace nb::webhook
