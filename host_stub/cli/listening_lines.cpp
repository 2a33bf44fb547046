#include "listening_lines.hpp"

#include <cstring>
#include <string>

#include "../plugins/abi_extensions.hpp"

namespace nb::host {
namespace {

const char *or_empty(const char *text) { return text ? text : ""; }

// The host part of a URL: an IPv6 address in brackets.
std::string url_host(const char *address) {
    const std::string host = or_empty(address);
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

void print_listening(const std::vector<const WorkflowNode *> &started, std::ostream &out) {
    for (const WorkflowNode *node : started) {
        const nb_node_t &instance = *node->instance;
        const auto *listen =
            static_cast<const nb_node_listen_address_t *>(node_extension(instance, NB_EXT_LISTEN_ADDRESS));
        const uint32_t count = listen && listen->count && listen->get ? listen->count(&instance) : 0;
        if (count == 0) {
            out << "listening: (node " << node->id << ") started, no address reported\n";
            continue;
        }
        for (uint32_t i = 0; i < count; ++i) {
            nb_listen_address_t address{};
            if (!listen->get(&instance, i, &address)) continue;
            out << "listening: " << or_empty(address.scheme) << "://" << url_host(address.address) << ":"
                << address.port << or_empty(address.path) << " (node " << node->id << ")\n";
        }
    }
}

void print_consuming(const std::vector<std::pair<std::string, const WorkflowNode *>> &streams, std::ostream &out) {
    for (const auto &[stream, node] : streams) out << "consuming: " << stream << " (node " << node->id << ")\n";
}

}  // namespace nb::host
