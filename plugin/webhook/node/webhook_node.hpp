#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nb/listen_address.h>
#include <nb/node.h>

#include "auth/clock.hpp"
#include "error_slots.hpp"
#include "endpoint.hpp"
#include "metrics/node_metrics.hpp"
#include "widgets/settings.hpp"

namespace nb::webhook {

// One events.webhook node of a workflow. The C instance handed to the host is
// a member; its node_data points back here. Methods may throw: the C vtable
// (node_vtable.hpp) catches everything.
class WebhookNode {
public:
    WebhookNode(std::string node_id, const nb_host_t *host);
    ~WebhookNode();

    WebhookNode(const WebhookNode &) = delete;
    WebhookNode &operator=(const WebhookNode &) = delete;

    const nb_node_t *abi() const noexcept { return &abi_; }

    // What set_widget and get_widget act on (node_vtable.hpp); read at start.
    Settings &settings() noexcept { return settings_; }
    nb_status_t start();
    // Returns once no request of this node can reach the host any more and
    // no outcome of the host can reach the node: see Endpoint::close.
    void stop() noexcept;
    // Where the node listens while started (NB_EXT_LISTEN_ADDRESS).
    bool listen_address(nb_listen_address_t &out) const noexcept;
    // [thread-safe] The node's extension `id`: NB_EXT_LISTEN_ADDRESS.
    static const void *extension(const char *id) noexcept;
    nb_status_t execute(const nb_run_t *run);

    // The time source of signature windows and dedupe, taken at start; for
    // tests (the ABI always uses the system clock).
    void set_clock(auth::Clock clock) { clock_ = std::move(clock); }

    // Records `message` for last_error and returns `status`.
    nb_status_t fail(nb_status_t status, std::string message);
    const char *last_error() const { return errors_.get(); }

private:
    nb_node_t abi_;
    const std::string node_id_;
    const nb_host_t *const host_;
    Settings settings_;
    auth::Clock clock_ = auth::system_clock();
    // Its counts, from create to destroy: a restart of the instance goes on
    // counting; the plugin reports them while the node exists.
    const std::shared_ptr<metrics::NodeMetrics> metrics_;
    std::shared_ptr<Endpoint> active_;  // non-null while started
    std::uint16_t active_port_ = 0;
    std::string active_address_;  // the bound address as text, for listen_address
    const char *active_scheme_ = "http";
    ErrorSlots errors_;
};

}  // namespace nb::webhook
