#pragma once

#include <string>
#include <vector>

#include <nb/plugin.h>

namespace nb::conformance {

// One ABI function the probe called, and the C++ exception that escaped it.
struct ProbedCall {
    std::string call;       // "execute", "set_widget(\"port\")"
    std::string exception;  // "std::runtime_error: why"; "" when none escaped
};

// Calls each function of node type `d` once, as a host would: create_node;
// get_widget and set_widget (its default) for each widget and for an unknown
// one; last_error; get_extension (1.1); start; stop; execute; destroy. A C++
// exception escaping one is caught here and recorded, where in a host it
// would end the process.
std::vector<ProbedCall> probe_node_type(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d);

// The same for the entry's calls after init: node_count, node_descriptor
// past the end, create_node of an unknown type, get_extension (1.1).
std::vector<ProbedCall> probe_entry(const nb_plugin_entry_t &entry);

// Whether any call of probe_node_type lets an exception escape: the other
// rules leave such a node type to the exception rule.
bool throws_across_abi(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d);

}  // namespace nb::conformance
