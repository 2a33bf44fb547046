#include "workflow_file.hpp"

#include <fstream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "json_position.hpp"

namespace nb::host {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void refuse(const std::string &file, const std::string &what) {
    throw WorkflowError(file + ": " + what);
}

std::string required_string(const Object &object, const std::string &key, const std::string &file,
                            const std::string &where) {
    const Var value = object.get(key);
    if (value.isEmpty() || !value.isString()) {
        refuse(file, where + ": \"" + key + "\" must be a string");
    }
    return value.extract<std::string>();
}

WidgetSetting widget_setting(const std::string &name, const Var &value) {
    using Json = WidgetSetting::Json;
    if (value.isEmpty()) return {name, Json::null, ""};
    if (value.isBoolean()) return {name, Json::boolean, value.convert<std::string>()};
    if (value.isInteger()) return {name, Json::integer, value.convert<std::string>()};
    if (value.isNumeric()) return {name, Json::number, value.convert<std::string>()};
    if (value.isString()) return {name, Json::string, value.extract<std::string>()};
    if (value.type() == typeid(Array::Ptr)) return {name, Json::array, ""};
    return {name, Json::object, ""};
}

// "node.socket"; the socket is after the last dot so node ids may hold dots.
void split_endpoint(const std::string &text, std::string &node, std::string &socket,
                    const std::string &file, const std::string &where) {
    const auto dot = text.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
        refuse(file, where + ": \"" + text + "\" must be NODE_ID.SOCKET");
    }
    node = text.substr(0, dot);
    socket = text.substr(dot + 1);
}

NodeSpec node_spec(const Var &item, size_t index, const std::string &file) {
    const std::string where = "nodes[" + std::to_string(index) + "]";
    if (item.type() != typeid(Object::Ptr)) refuse(file, where + " must be an object");
    const auto &object = *item.extract<Object::Ptr>();
    NodeSpec node;
    node.id = required_string(object, "id", file, where);
    node.type = required_string(object, "type", file, "node \"" + node.id + "\"");
    const Var widgets = object.get("widgets");
    if (widgets.isEmpty()) return node;
    if (widgets.type() != typeid(Object::Ptr)) {
        refuse(file, "node \"" + node.id + "\": \"widgets\" must be an object");
    }
    const auto &settings = *widgets.extract<Object::Ptr>();
    for (const auto &[name, value] : settings) node.widgets.push_back(widget_setting(name, value));
    return node;
}

EdgeSpec edge_spec(const Var &item, size_t index, const std::string &file) {
    const std::string where = "edges[" + std::to_string(index) + "]";
    if (item.type() != typeid(Object::Ptr)) refuse(file, where + " must be an object");
    const auto &object = *item.extract<Object::Ptr>();
    EdgeSpec edge;
    split_endpoint(required_string(object, "from", file, where), edge.from_node, edge.from_socket,
                   file, where + ".from");
    split_endpoint(required_string(object, "to", file, where), edge.to_node, edge.to_socket, file,
                   where + ".to");
    return edge;
}

Array::Ptr optional_array(const Object &root, const std::string &key, const std::string &file) {
    const Var value = root.get(key);
    if (value.isEmpty()) return new Array;
    if (value.type() != typeid(Array::Ptr)) refuse(file, "\"" + key + "\" must be an array");
    return value.extract<Array::Ptr>();
}

}  // namespace

std::string EdgeSpec::text() const {
    return from_node + "." + from_socket + " -> " + to_node + "." + to_socket;
}

const char *json_type_name(WidgetSetting::Json type) {
    using Json = WidgetSetting::Json;
    switch (type) {
    case Json::integer: return "an integer";
    case Json::number: return "a non-integer number";
    case Json::string: return "a string";
    case Json::boolean: return "a boolean";
    case Json::null: return "null";
    case Json::array: return "an array";
    case Json::object: return "an object";
    }
    return "unknown";
}

WorkflowSpec parse_workflow(std::string_view json, const std::string &file) {
    Var root;
    try {
        // Widget order in messages follows the file.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        root = parser.parse(std::string(json));
    } catch (const Poco::Exception &e) {
        refuse(file, "invalid JSON at " + json_error_position(json) + ": " + e.message());
    }
    if (root.type() != typeid(Object::Ptr)) refuse(file, "the workflow must be a JSON object");
    const auto &object = *root.extract<Object::Ptr>();
    WorkflowSpec spec;
    spec.file = file;
    const Var name = object.get("name");
    if (!name.isEmpty()) {
        if (!name.isString()) refuse(file, "\"name\" must be a string");
        spec.name = name.extract<std::string>();
    }
    const auto nodes = optional_array(object, "nodes", file);
    for (size_t i = 0; i < nodes->size(); ++i) spec.nodes.push_back(node_spec(nodes->get(i), i, file));
    const auto edges = optional_array(object, "edges", file);
    for (size_t i = 0; i < edges->size(); ++i) spec.edges.push_back(edge_spec(edges->get(i), i, file));
    return spec;
}

WorkflowSpec read_workflow_file(const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw WorkflowError(file + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_workflow(text.str(), file);
}

}  // namespace nb::host
