#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "workflow_error.hpp"

namespace nb::host {

// The workflow file as written, before any plugin is asked about it.
struct WidgetSetting {
    enum class Json { integer, number, string, boolean, null, array, object };
    std::string name;
    Json json;
    std::string text;  // the form set_widget takes: integers in decimal, strings as is
};

struct NodeSpec {
    std::string id;
    std::string type;
    std::vector<WidgetSetting> widgets;
};

struct EdgeSpec {
    std::string from_node, from_socket, to_node, to_socket;
    std::string text() const;  // "hook.received_data -> show.text"
};

struct WorkflowSpec {
    std::string file;  // as given, for messages
    std::string name;
    std::vector<NodeSpec> nodes;
    std::vector<EdgeSpec> edges;
};

// Throws WorkflowError naming `file` (and the position, for bad JSON).
WorkflowSpec parse_workflow(std::string_view json, const std::string &file);
WorkflowSpec read_workflow_file(const std::string &file);

const char *json_type_name(WidgetSetting::Json type);

}  // namespace nb::host
