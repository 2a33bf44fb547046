// A C++ plugin whose execute lets an exception escape, on purpose: the ABI is
// C, so no host can catch it. nb-conformance must report it under its rule,
// naming the node type and the function, and not crash. It logs through the
// host first, which the report leaves out unless --verbose. Everything else
// about it is well formed.
#include <nb/plugin.h>

#include <memory>
#include <stdexcept>
#include <string_view>

namespace {

const nb_socket_desc_t outputs[] = {{"out", NB_SOCKET_TEXT, "never written"}};

const nb_node_descriptor_t descriptor = {
    NB_VERSION_INIT, "test.throws", "Throws", "lets a C++ exception escape execute on purpose",
    "Test", "1.0.0", nullptr, 0, nullptr, 0, outputs, 1, nullptr, 0, 0};

struct ThrowingNode {
    nb_node_t abi;
    const nb_host_t *host;
};

const nb_host_t *host_of(const nb_node_t *node) { return static_cast<const ThrowingNode *>(node->node_data)->host; }

void destroy(const nb_node_t *node) { delete static_cast<const ThrowingNode *>(node->node_data); }
nb_status_t set_widget(const nb_node_t *, const char *, const char *) { return NB_ERR_UNKNOWN; }
const char *get_widget(const nb_node_t *, const char *) { return nullptr; }
nb_status_t start(const nb_node_t *) { return NB_OK; }
void stop(const nb_node_t *) {}
// Broken: the exception crosses the C ABI.
nb_status_t execute(const nb_node_t *node, const nb_run_t *) {
    const nb_host_t *host = host_of(node);
    host->log(host, node, NB_LOG_INFO, "execute is about to throw");
    throw std::runtime_error("execute fails on purpose");
}
const char *last_error(const nb_node_t *) { return "no such widget"; }

bool init(const char *path) { return path != nullptr; }
void deinit() {}
uint32_t node_count() { return 1; }
const nb_node_descriptor_t *node_descriptor(uint32_t i) { return i == 0 ? &descriptor : nullptr; }
const nb_node_t *create_node(const char *type, const char *, const nb_host_t *host) {
    if (!type || std::string_view(type) != descriptor.id) return nullptr;
    auto node = std::make_unique<ThrowingNode>();
    node->abi = {NB_VERSION_INIT, &descriptor, node.get(), destroy, set_widget, get_widget,
                 start, stop, execute, last_error, nullptr};
    node->host = host;
    return &node.release()->abi;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const nb_plugin_entry_t nb_plugin_entry = {
    NB_VERSION_INIT, init, deinit, node_count, node_descriptor, create_node, nullptr};
