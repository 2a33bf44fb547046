#include "json_object.hpp"

#include "json_text.hpp"
#include "utf8.hpp"

namespace nb::host {

std::string json_literal(std::string_view text) {
    if (is_valid_utf8(text)) return nb::json_string(text);
    std::string ascii(text);
    for (char &c : ascii) {
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return nb::json_string(ascii);
}

void JsonObject::name(std::string_view name) {
    text_ += text_.empty() ? "{" : ",";
    text_ += json_literal(name);
    text_ += ':';
}

JsonObject &JsonObject::add(std::string_view name, std::string_view text) {
    this->name(name);
    text_ += json_literal(text);
    return *this;
}

JsonObject &JsonObject::add_or_null(std::string_view name, const std::optional<std::string> &text) {
    if (text) return add(name, std::string_view(*text));
    return add_json(name, "null");
}

JsonObject &JsonObject::add(std::string_view name, std::int64_t number) {
    return add_json(name, std::to_string(number));
}

JsonObject &JsonObject::add_or_null(std::string_view name, std::optional<std::int64_t> number) {
    if (number) return add(name, *number);
    return add_json(name, "null");
}

JsonObject &JsonObject::add_bool(std::string_view name, bool value) {
    return add_json(name, value ? "true" : "false");
}

JsonObject &JsonObject::add_json(std::string_view name, std::string_view json) {
    this->name(name);
    text_ += json;
    return *this;
}

}  // namespace nb::host
