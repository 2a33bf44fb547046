#pragma once

#include <string>
#include <string_view>

namespace nb {

// Appends `text` (UTF-8) to `out` as one JSON string literal, quotes included.
void append_json_string(std::string &out, std::string_view text);

// `text` as a JSON string literal.
std::string json_string(std::string_view text);

// A value someone gave, quoted for an error message: its JSON string literal,
// or "?" when it is not UTF-8 (the message itself must stay valid text).
std::string quoted_value(std::string_view text);

}  // namespace nb
