#pragma once

#include <string>
#include <vector>

#include <nb/descriptor.h>

namespace nb::conformance {

// Every rule a single descriptor breaks, one message each ("" id is named as
// "<no id>"). Empty when the descriptor is well formed.
std::vector<std::string> descriptor_violations(const nb_node_descriptor_t &d);

// Rules across one plugin's descriptors: ids unique.
std::vector<std::string> descriptor_set_violations(
    const std::vector<const nb_node_descriptor_t *> &descriptors);

}  // namespace nb::conformance
