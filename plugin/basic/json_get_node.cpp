#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "integer.hpp"
#include "nodes.hpp"

namespace nb::basic {
namespace {

using Poco::Dynamic::Var;

const char *const tags[] = {"basic", "json", "pointer", "extract"};
const nb_socket_desc_t inputs[] = {{"json", NB_SOCKET_TEXT, "A JSON document"}};
const nb_socket_desc_t outputs[] = {
    {"value", NB_SOCKET_TEXT,
     "The value the pointer selects: a string without quotes, anything else as JSON text"}};
const nb_widget_desc_t widgets[] = {
    {"pointer", NB_WIDGET_TEXT, "", 0, 0,
     "RFC 6901 JSON pointer, e.g. /user/name or /items/0; empty selects the whole document",
     nullptr, 0}};

const nb_node_descriptor_t node_descriptor = {
    NB_VERSION_INIT,
    "basic.json_get",
    "JSON Get",
    "Selects one value of a JSON document with an RFC 6901 JSON pointer. Strings come out "
    "unquoted, numbers, booleans, null, objects and arrays as compact JSON text. Invalid JSON "
    "or a pointer that selects nothing fails the run.",
    "Basic",
    "1.0.0",
    tags, 4,
    inputs, 1,
    outputs, 1,
    widgets, 1,
    0};

// RFC 6901: "" or "/"-separated tokens in which "~" is only "~0" or "~1".
std::string pointer_problem(const std::string &pointer) {
    if (!pointer.empty() && pointer[0] != '/') return "pointer must be empty or start with \"/\"";
    for (size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '~' && (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))) {
            return "pointer may use \"~\" only as ~0 (for ~) or ~1 (for /)";
        }
    }
    return {};
}

std::string unescape(const std::string &token) {
    std::string out;
    for (size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~') {
            out += token[++i] == '1' ? '/' : '~';
        } else {
            out += token[i];
        }
    }
    return out;
}

bool array_index(const std::string &token, size_t size, size_t &index) {
    // RFC 6901: "0", or digits without a leading zero.
    if (token.size() > 9 || (token.size() > 1 && token[0] == '0')) return false;
    const auto value = parse_integer(token, Sign::unsigned_only);
    if (!value) return false;
    index = static_cast<size_t>(*value);
    return index < size;
}

class JsonGetNode final : public Node {
public:
    explicit JsonGetNode(std::string id) : Node(node_descriptor, std::move(id)) {}

    nb_status_t execute(const nb_run_t &run) override {
        std::string_view text;
        if (!input(run, "json", text)) return NB_ERR_INVALID;
        Var value;
        try {
            Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
            value = parser.parse(std::string(text));
        } catch (const Poco::Exception &e) {
            return fail(NB_ERR_INVALID, "input \"json\" is not valid JSON: " + e.displayText());
        }
        const std::string &pointer = widget("pointer");
        size_t at = 0;
        while (at < pointer.size()) {
            const size_t next = pointer.find('/', at + 1);
            const std::string token = unescape(pointer.substr(at + 1, next - at - 1));
            const std::string where = pointer.substr(0, at);
            if (!step(value, token)) {
                return fail(NB_ERR_INVALID, "pointer \"" + pointer + "\" selects nothing: no \"" +
                                                token + "\" in the value at \"" + where + "\"");
            }
            at = next == std::string::npos ? pointer.size() : next;
        }
        std::string out;
        if (value.isString()) {
            out = value.extract<std::string>();
        } else {
            std::ostringstream json;
            Poco::JSON::Stringifier::condense(value, json);
            out = json.str();
        }
        return run.set_output(&run, "value", out.data(), out.size());
    }

private:
    static bool step(Var &value, const std::string &token) {
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto object = value.extract<Poco::JSON::Object::Ptr>();
            if (!object->has(token)) return false;
            value = object->get(token);
            return true;
        }
        if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
            const auto array = value.extract<Poco::JSON::Array::Ptr>();
            size_t index = 0;
            if (!array_index(token, array->size(), index)) return false;
            value = array->get(static_cast<unsigned>(index));
            return true;
        }
        return false;
    }

    std::string check_widget(const std::string &, const std::string &value) const override {
        return pointer_problem(value);
    }
};

}  // namespace

const NodeKind json_get_kind{node_descriptor, [](std::string id) -> std::unique_ptr<Node> {
                                 return std::make_unique<JsonGetNode>(std::move(id));
                             }};

}  // namespace nb::basic
