#include "plugin_under_test.hpp"

#include <unistd.h>

#include <cstring>
#include <fstream>

#include "net_helpers.hpp"

namespace nb::conformance {

std::vector<const nb_node_descriptor_t *> PluginUnderTest::descriptors() const {
    std::vector<const nb_node_descriptor_t *> out;
    if (!library) return out;
    const auto &entry = library->entry();
    const uint32_t n = entry.node_count();
    for (uint32_t i = 0; i < n; ++i) out.push_back(entry.node_descriptor(i));
    return out;
}

PluginUnderTest load_plugin(const std::filesystem::path &path) {
    PluginUnderTest p;
    p.path = path;
    try {
        p.library = nb::host::PluginLibrary::open(path, p.why);
    } catch (const std::exception &e) {
        p.why = std::string("init, node_count or node_descriptor threw a C++ exception across the ABI: ") + e.what();
    } catch (...) {
        p.why = "init, node_count or node_descriptor threw a C++ exception across the ABI";
    }
    return p;
}

Instance::Instance(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d,
                   const nb_host_t *host, const char *node_id)
    : node_(entry.create_node(d.id, node_id, host)) {}

Instance::~Instance() {
    if (node_) node_->destroy(node_);
}

const nb_widget_desc_t *find_widget(const nb_node_descriptor_t &d, const char *name) {
    for (uint32_t i = 0; i < d.widget_count; ++i)
        if (d.widgets[i].name && std::strcmp(d.widgets[i].name, name) == 0) return &d.widgets[i];
    return nullptr;
}

std::uint16_t use_free_port(const nb_node_t *node, const nb_node_descriptor_t &d) {
    const auto *w = find_widget(d, "port");
    if (!w || w->kind != NB_WIDGET_NUMBER) return 0;
    const std::uint16_t port = nb::test::free_port();
    if (node->set_widget(node, "port", std::to_string(port).c_str()) != NB_OK) return 0;
    return port;
}

const void *node_extension(const nb_node_t *node, const char *id) {
    if (!nb_version_has(node->abi, 1) || !node->get_extension) return nullptr;
    return node->get_extension(node, id);
}

HttpRoute use_free_route(const nb_node_t *node, const nb_node_descriptor_t &d) {
    HttpRoute route;
    route.port = use_free_port(node, d);
    if (const char *path = node->get_widget(node, "path")) route.path = path;
    return route;
}

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace nb::conformance
