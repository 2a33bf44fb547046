#pragma once

#include <memory>
#include <string>

#include "node_base.hpp"

namespace nb::basic {

// One entry per node type of nb_basic.so; each lives in its own file.
struct NodeKind {
    const nb_node_descriptor_t &descriptor;
    std::unique_ptr<Node> (*make)(std::string node_id);
};

extern const NodeKind log_kind;
extern const NodeKind json_get_kind;
extern const NodeKind file_append_kind;

}  // namespace nb::basic
