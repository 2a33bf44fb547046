#include "json_text.hpp"

namespace nb {
namespace {

// Bytes a JSON string literal cannot hold as they are.
bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void append_escape(std::string &out, unsigned char c) {
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
    }
}

}  // namespace

void append_json_string(std::string &out, std::string_view text) {
    // Every run of a sink escapes a whole body: copy the plain stretches
    // between escapes in one append each rather than byte by byte.
    out.reserve(out.size() + text.size() + text.size() / 8 + 2);
    out.push_back('"');
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!needs_escape(c)) continue;
        out.append(text.data() + plain, i - plain);
        append_escape(out, c);
        plain = i + 1;
    }
    out.append(text.data() + plain, text.size() - plain);
    out.push_back('"');
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

}  // namespace nb
