#pragma once

#include <string>

#include <nb/node.h>

#include "abi_guard.hpp"

// The C face of a node class of this plugin (WebhookNode, ReplyNode): one
// set of trampolines for both, so the ABI rules are kept in one place. No
// exception may cross the ABI: each function turns any escaping exception
// into NB_ERR_INTERNAL plus last_error.
//
// `Node` provides settings() (an object with set(name, value, error) and
// get(name), as widgets/settings.hpp), start, stop (noexcept), execute,
// fail(status, message), last_error and a static extension(id), with the
// contracts of node.h; the instance is destroyed with delete.
namespace nb::webhook {

template <typename Node>
class NodeVtable {
public:
    // The C instance of `node`: every function pointer, node_data = node.
    // `descriptor` is static (valid until deinit), as node.h asks.
    static nb_node_t make(Node *node, const nb_node_descriptor_t &descriptor) noexcept {
        nb_node_t abi{};
        abi.abi = NB_VERSION_INIT;
        abi.descriptor = &descriptor;
        abi.node_data = node;
        abi.destroy = destroy;
        abi.set_widget = set_widget;
        abi.get_widget = get_widget;
        abi.start = start;
        abi.stop = stop;
        abi.execute = execute;
        abi.last_error = last_error;
        abi.get_extension = get_extension;
        return abi;
    }

private:
    // The object behind a C instance that make() built.
    static Node &from(const nb_node_t *node) noexcept {
        return *static_cast<Node *>(node->node_data);
    }

    template <typename Fn>
    static nb_status_t guarded(const nb_node_t *node, Fn &&fn) noexcept {
        if (!node) return NB_ERR_INVALID;
        Node &self = from(node);
        return abi_guard([&] { return fn(self); },
                         [&self](nb_status_t status, const char *message) {
                             return self.fail(status, message);
                         });
    }

    // [main-thread] `node` is invalid once this returns.
    static void destroy(const nb_node_t *node) {
        if (node) delete &from(node);
    }

    // [main-thread] `name` and `value` are borrowed for the call. On error
    // the previous value stays (the settings' own rule).
    static nb_status_t set_widget(const nb_node_t *node, const char *name, const char *value) {
        return guarded(node, [&](Node &self) {
            if (!name) return self.fail(NB_ERR_INVALID, "set_widget needs a widget name");
            std::string error;
            const nb_status_t status = self.settings().set(name, value, error);
            return status == NB_OK ? NB_OK : self.fail(status, std::move(error));
        });
    }

    // [main-thread] `name` is borrowed; the text returned is the node's, valid
    // until the next set_widget or destroy.
    static const char *get_widget(const nb_node_t *node, const char *name) {
        return node && name ? from(node).settings().get(name) : nullptr;
    }

    // [main-thread]
    static nb_status_t start(const nb_node_t *node) {
        return guarded(node, [](Node &self) { return self.start(); });
    }

    // [main-thread] Blocks until no call into the host for the node is in
    // progress or can start, and no outcome of the host can reach it.
    static void stop(const nb_node_t *node) {
        if (node) from(node).stop();
    }

    // [worker-thread] `run` is borrowed for the call.
    static nb_status_t execute(const nb_node_t *node, const nb_run_t *run) {
        return guarded(node, [run](Node &self) { return self.execute(run); });
    }

    // [the thread of the failed call] The node's text, valid until that
    // thread's next call on the instance.
    static const char *last_error(const nb_node_t *node) {
        if (!node) return "";
        try {
            return from(node).last_error();
        } catch (...) {
            return "";
        }
    }

    // [thread-safe] `id` is borrowed; what is returned is static.
    static const void *get_extension(const nb_node_t *node, const char *id) {
        return node && id ? Node::extension(id) : nullptr;
    }
};

}  // namespace nb::webhook
