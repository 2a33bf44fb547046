// nb_basic.so: the small nodes a host needs to show a workflow working.
#include <cstring>

#include "nodes.hpp"

namespace nb::basic {
namespace {

const NodeKind *const kinds[] = {&log_kind, &json_get_kind, &file_append_kind};
constexpr uint32_t kind_count = sizeof kinds / sizeof kinds[0];

// [main-thread] Stateless: nothing to set up or tear down.
bool init(const char *) { return true; }
void deinit() {}

// [main-thread]
uint32_t node_count() { return kind_count; }

// [main-thread]
const nb_node_descriptor_t *node_descriptor(uint32_t index) {
    return index < kind_count ? &kinds[index]->descriptor : nullptr;
}

// [main-thread]
const nb_node_t *create_node(const char *node_type, const char *node_id, const nb_host_t *) {
    try {
        for (const NodeKind *kind : kinds) {
            if (std::strcmp(kind->descriptor.id, node_type) == 0) return publish(kind->make(node_id));
        }
    } catch (...) {
        // Out of memory: NULL is the ABI's answer.
    }
    return nullptr;
}

}  // namespace
}  // namespace nb::basic

// Declared extern "C" and exported by <nb/plugin.h>.
const nb_plugin_entry_t nb_plugin_entry = {
    NB_VERSION_INIT,       nb::basic::init,            nb::basic::deinit,
    nb::basic::node_count, nb::basic::node_descriptor, nb::basic::create_node, nullptr};
