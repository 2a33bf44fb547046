#pragma once

#include <map>
#include <string>
#include <vector>

#include <nb/descriptor.h>

namespace nb::conformance {

// Every rule a single descriptor breaks, one message each ("" id is named as
// "<no id>"). Empty when the descriptor is well formed.
std::vector<std::string> descriptor_violations(const nb_node_descriptor_t &d);

// False when a count has no array beside it (or a choice widget no
// choices): reading the descriptor further would crash, and
// descriptor_violations already names it.
bool descriptor_arrays_readable(const nb_node_descriptor_t &d);

// Rules across one plugin's descriptors: ids unique.
std::vector<std::string> descriptor_set_violations(
    const std::vector<const nb_node_descriptor_t *> &descriptors);

// The node types one plugin file provides.
struct ProvidedTypes {
    std::string plugin;  // the file
    std::vector<const nb_node_descriptor_t *> descriptors;
};

// Across several plugins: which files provide each node type, in the order
// given (a type twice in one plugin counts once: descriptor_set_violations
// names that). More than one file is ambiguous: a host could not tell which
// one a workflow means.
std::map<std::string, std::vector<std::string>> providers_by_type(const std::vector<ProvidedTypes> &plugins);

}  // namespace nb::conformance
