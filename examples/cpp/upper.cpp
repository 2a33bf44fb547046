// example.upper_cpp: a complete nb plugin in C++17, to copy. Its one node
// upper-cases the input `text` (ASCII letters only, so UTF-8 stays valid),
// puts the widget `prefix` before it, and writes the result to the output
// `text`. Everything it needs is <nb/plugin.h>.
//
// The C ABI cannot carry C++ exceptions: every function the host calls is
// noexcept, and those that can fail catch everything and answer with a status
// and a last_error message.
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nb/plugin.h>

namespace {

constexpr std::size_t prefix_max = 64;

const char *const tags[] = {"example", "text"};
const nb_socket_desc_t inputs[] = {{"text", NB_SOCKET_TEXT, "The text to upper-case"}};
const nb_socket_desc_t outputs[] = {
    {"text", NB_SOCKET_TEXT, "The prefix, then the input with a-z upper-cased"}};
const nb_widget_desc_t widgets[] = {{"prefix", NB_WIDGET_TEXT, "> ", 0, 0,
                                     "Put before the upper-cased text; at most 64 bytes",
                                     nullptr, 0}};

// Owned by the plugin and constant: valid from init to deinit, as the ABI asks.
const nb_node_descriptor_t upper_descriptor = {
    NB_VERSION_INIT, "example.upper_cpp", "Upper Case (C++)",
    "Writes the prefix, then its input with the ASCII letters a-z upper-cased; other bytes, "
    "and so UTF-8, pass unchanged.",
    "Example", "1.0.0", tags, 2, inputs, 1, outputs, 1, widgets, 1, 0};

// A failed call: its status and the message last_error returns.
class NodeError : public std::runtime_error {
public:
    NodeError(nb_status_t status, const std::string &message)
        : std::runtime_error(message), status_(status) {}
    nb_status_t status() const noexcept { return status_; }

private:
    nb_status_t status_;
};

// The node in plain C++: it throws NodeError on bad input. The ABI functions
// below are its only callers.
class UpperNode {
public:
    // [main-thread]
    void set_widget(std::string_view name, std::string_view value) {
        if (name != "prefix") throw NodeError(NB_ERR_UNKNOWN, "unknown widget \"" + std::string(name) + "\"");
        if (value.size() > prefix_max) {
            throw NodeError(NB_ERR_INVALID, "prefix must be at most " + std::to_string(prefix_max) +
                                                " bytes (got " + std::to_string(value.size()) + ")");
        }
        prefix_ = value;
    }

    // [main-thread] Owned by the node, valid until the next set_widget or destroy.
    const char *get_widget(std::string_view name) const noexcept {
        return name == "prefix" ? prefix_.c_str() : nullptr;
    }

    // [worker-thread] Calls on one instance never overlap (node.h: only an
    // event source's execute may overlap its start..stop), so no lock. The
    // input is the host's until execute returns; set_output copies `out`.
    void execute(const nb_run_t &run) const {
        const char *data = nullptr;
        std::size_t len = 0;
        if (!run.get_input(&run, "text", &data, &len)) {
            throw NodeError(NB_ERR_INVALID, "input \"text\" received no value");
        }
        std::string out = prefix_;
        out.reserve(prefix_.size() + len);
        for (const char c : std::string_view(data, len)) {
            out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        const nb_status_t status = run.set_output(&run, "text", out.data(), out.size());
        if (status != NB_OK) throw NodeError(status, "could not write output \"text\"");
    }

private:
    std::string prefix_ = widgets[0].default_value;
};

// What node_data points to: the host's view and the node, freed together.
struct Instance {
    nb_node_t abi{};
    UpperNode node;
    std::string error;  // last_error: valid until the next call on this instance
};

Instance &instance_of(const nb_node_t *n) noexcept { return *static_cast<Instance *>(n->node_data); }

// Runs `call` on the node for a C caller: any exception becomes a status and
// a message, never an unwinding through the host.
template <typename Call>
nb_status_t guarded(const nb_node_t *n, Call &&call) noexcept {
    Instance &self = instance_of(n);
    const auto fail = [&self](nb_status_t status, const char *message) noexcept {
        try {
            self.error = message;
        } catch (...) {
            self.error.clear();  // no memory even for the message: the status must do
        }
        return status;
    };
    self.error.clear();
    try {
        call(self.node);
        return NB_OK;
    } catch (const NodeError &e) {
        return fail(e.status(), e.what());
    } catch (const std::bad_alloc &) {
        return fail(NB_ERR_INTERNAL, "out of memory");
    } catch (const std::exception &e) {
        return fail(NB_ERR_INTERNAL, e.what());
    } catch (...) {
        return fail(NB_ERR_INTERNAL, "an unknown exception was thrown");
    }
}

// [main-thread] Takes back the instance create_node handed out.
void destroy(const nb_node_t *n) noexcept { const std::unique_ptr<Instance> owned(&instance_of(n)); }

// [main-thread] `name` and `value` are borrowed for the call: the value is copied.
nb_status_t set_widget(const nb_node_t *n, const char *name, const char *value) noexcept {
    return guarded(n, [&](UpperNode &node) { node.set_widget(name, value); });
}

// [main-thread]
const char *get_widget(const nb_node_t *n, const char *name) noexcept {
    return instance_of(n).node.get_widget(name);
}

// [main-thread] Only event sources listen: for this node, nothing to do.
nb_status_t start(const nb_node_t *) noexcept { return NB_OK; }

// [main-thread]
void stop(const nb_node_t *) noexcept {}

// [worker-thread] `run` is borrowed for the call.
nb_status_t execute(const nb_node_t *n, const nb_run_t *run) noexcept {
    return guarded(n, [run](const UpperNode &node) { node.execute(*run); });
}

// [the thread of the failed call]
const char *last_error(const nb_node_t *n) noexcept { return instance_of(n).error.c_str(); }

// [main-thread] Nothing shared to set up: every instance holds its own state.
bool init(const char *) noexcept { return true; }

// [main-thread]
void deinit() noexcept {}

// [main-thread]
uint32_t node_count() noexcept { return 1; }

// [main-thread]
const nb_node_descriptor_t *node_descriptor(uint32_t index) noexcept {
    return index == 0 ? &upper_descriptor : nullptr;
}

// [main-thread] `node_id` and `host` are not kept: this node neither logs nor
// triggers. The instance is the plugin's until its destroy.
const nb_node_t *create_node(const char *node_type, const char *, const nb_host_t *) noexcept {
    if (std::strcmp(node_type, upper_descriptor.id) != 0) return nullptr;
    try {
        auto instance = std::make_unique<Instance>();
        instance->abi = {NB_VERSION_INIT, &upper_descriptor, instance.get(), destroy, set_widget,
                         get_widget,      start,             stop,           execute, last_error,
                         nullptr};
        return &instance.release()->abi;  // owned through node_data until destroy
    } catch (...) {
        return nullptr;  // out of memory: NULL is the ABI's answer
    }
}

}  // namespace

// <nb/plugin.h> declares it extern "C" and exported: with -fvisibility=hidden
// this is the library's one exported symbol. No extensions: get_extension NULL.
const nb_plugin_entry_t nb_plugin_entry = {NB_VERSION_INIT, init,        deinit, node_count,
                                           node_descriptor, create_node, nullptr};
