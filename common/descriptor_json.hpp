#pragma once

#include <string>

#include <nb/descriptor.h>

namespace nb {

// The manifest form of a descriptor: what `nb-host describe` prints and what
// manifests/nodes/*.json hold. Two-space indent, fixed key order, trailing
// newline, so that a manifest can be compared to a descriptor byte for byte.
std::string descriptor_to_json(const nb_node_descriptor_t &descriptor);

// "number", "text", "choice"; "unknown" for anything else.
const char *widget_kind_name(nb_widget_kind_t kind);

}  // namespace nb
