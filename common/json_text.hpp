#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nb {

// Appends `text` (UTF-8) to `out` as one JSON string literal, quotes included.
void append_json_string(std::string &out, std::string_view text);

// Writes `text` as a JSON string literal at `p`, which has room for
// 6 * text.size() + 2 bytes; returns the end. For short texts written among
// others into one buffer.
char *put_json_string(char *p, std::string_view text);

// `text` as a JSON string literal.
std::string json_string(std::string_view text);

// A value someone gave, quoted for an error message: its JSON string literal,
// or "?" when it is not UTF-8 (the message itself must stay valid text). Past
// kQuotedChars characters it is cut, whole characters only, and ends in "…"
// inside the quotes: a refused 1 MB value must not become a 1 MB log line.
constexpr std::size_t kQuotedChars = 120;
std::string quoted_value(std::string_view text);

}  // namespace nb
