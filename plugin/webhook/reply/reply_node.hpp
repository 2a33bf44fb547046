#pragma once

#include <atomic>
#include <string>

#include <nb/node.h>
#include <nb/run_reply.h>

#include "node/error_slots.hpp"
#include "reply_settings.hpp"

namespace nb::webhook {

// One events.webhook_reply node of a workflow: its execute hands the host the
// answer for the request that started the run (NB_EXT_RUN_REPLY). The C
// instance handed to the host is a member; its node_data points back here.
// Methods may throw: the C vtable (node/node_vtable.hpp) catches everything.
class ReplyNode {
public:
    // `host` must outlive the node (node.h); its reply extension, if any, is
    // looked up once here, valid as long as the host (extension.h).
    ReplyNode(std::string node_id, const nb_host_t *host);

    ReplyNode(const ReplyNode &) = delete;
    ReplyNode &operator=(const ReplyNode &) = delete;

    const nb_node_t *abi() const noexcept { return &abi_; }

    // What set_widget and get_widget act on (node/node_vtable.hpp).
    ReplySettings &settings() noexcept { return settings_; }
    // [thread-safe] The reply node offers no extension.
    static const void *extension(const char *) noexcept { return nullptr; }
    // Not an event source: nothing to listen for.
    nb_status_t start() noexcept { return NB_OK; }
    void stop() noexcept {}
    // Reads the widgets set before the run (the host sets none while runs
    // go on: node.h) and input `body`, and sets the run's reply.
    nb_status_t execute(const nb_run_t *run);

    // Records `message` for last_error and returns `status`.
    nb_status_t fail(nb_status_t status, std::string message) {
        return errors_.fail(status, message);
    }
    const char *last_error() const { return errors_.get(); }

private:
    // Once per instance: a run per request would otherwise flood the log.
    void warn_not_awaited();

    nb_node_t abi_;
    const nb_host_t *const host_;
    const nb_host_run_reply_t *const run_reply_;  // null: the host cannot reply
    ReplySettings settings_;
    std::atomic<bool> warned_not_awaited_{false};
    ErrorSlots errors_;
};

}  // namespace nb::webhook
