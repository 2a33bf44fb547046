#include "header_list.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include "http/reply_headers.hpp"
#include "json_text.hpp"
#include "reply_limits.hpp"

namespace nb::webhook {
namespace {

// The object `text` holds, keys in their written order, or null.
Poco::JSON::Object::Ptr parse_object(std::string_view text) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        const Poco::Dynamic::Var root = parser.parse(std::string(text));
        if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
            return root.extract<Poco::JSON::Object::Ptr>();
        }
    } catch (const Poco::Exception &) {
        // Not JSON: the caller says what was expected.
    }
    return nullptr;
}

}  // namespace

std::optional<HeaderList> HeaderList::parse(std::string_view text, std::string &error) {
    const std::string widget = kReplyWidgetHeaders;
    const Poco::JSON::Object::Ptr object = parse_object(text);
    if (!object) {
        error = widget + " must be a JSON object of header name -> string value, e.g. " +
                "{\"X-Request-Id\":\"42\"}, got " + quoted_value(text);
        return std::nullopt;
    }
    HeaderList list;
    for (const std::string &name : object->getNames()) {
        const Poco::Dynamic::Var &value = object->get(name);
        if (!value.isString()) {
            error = widget + ": the value of header " + quoted_value(name) +
                    " must be a JSON string";
            return std::nullopt;
        }
        std::string field_value = value.extract<std::string>();
        if (const auto issue = net::reply_header_problem(name, field_value)) {
            error = widget + ": " + issue->message;
            if (issue->problem == net::ReplyHeaderProblem::content_type) {
                error += "; set it with the " + std::string(kReplyWidgetContentType) + " widget";
            }
            return std::nullopt;
        }
        list.fields_.emplace_back(name, std::move(field_value));
    }
    list.text_ = text;
    return list;
}

}  // namespace nb::webhook
