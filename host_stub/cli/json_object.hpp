#pragma once

// One JSON object written member by member, in order, always valid JSON:
// strings that are not UTF-8 have their bytes from 0x80 up replaced by '?'.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::host {

class JsonObject {
public:
    JsonObject &add(std::string_view name, std::string_view text);
    JsonObject &add(std::string_view name, std::int64_t number);
    // null when there is none.
    JsonObject &add_or_null(std::string_view name, const std::optional<std::string> &text);
    JsonObject &add_or_null(std::string_view name, std::optional<std::int64_t> number);
    JsonObject &add_bool(std::string_view name, bool value);
    // `json` must be one JSON value.
    JsonObject &add_json(std::string_view name, std::string_view json);
    std::string text() const { return text_.empty() ? "{}" : text_ + "}"; }

private:
    void name(std::string_view name);
    std::string text_;
};

// `text` as a JSON string literal, made UTF-8 as above.
std::string json_literal(std::string_view text);

}  // namespace nb::host
