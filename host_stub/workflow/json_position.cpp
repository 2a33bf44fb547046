#include "json_position.hpp"

#include <cctype>
#include <cstring>

namespace nb::host {
namespace {

// A syntax-only recursive descent that stops at the first bad byte.
class Scanner {
public:
    explicit Scanner(std::string_view text) : s_(text) {}

    // Offset of the first error; text.size() when the text merely ends early.
    size_t error_offset() {
        space();
        if (value()) {
            space();
            if (i_ == s_.size()) return s_.size();
        }
        return i_;
    }

private:
    bool more() const { return i_ < s_.size(); }
    char peek() const { return more() ? s_[i_] : '\0'; }
    bool eat(char c) {
        if (peek() != c || !more()) return false;
        ++i_;
        return true;
    }
    void space() {
        while (more() && std::strchr(" \t\r\n", s_[i_])) ++i_;
    }
    bool literal(const char *word) {
        for (; *word; ++word) {
            if (!eat(*word)) return false;
        }
        return true;
    }
    bool digits() {
        const size_t start = i_;
        while (more() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }
    bool number() {
        eat('-');
        if (!eat('0') && !digits()) return false;
        if (eat('.') && !digits()) return false;
        if ((eat('e') || eat('E')) && (eat('+') || eat('-') || true) && !digits()) return false;
        return true;
    }
    bool string() {
        if (!eat('"')) return false;
        while (more() && s_[i_] != '"') {
            if (static_cast<unsigned char>(s_[i_]) < 0x20) return false;
            if (s_[i_++] == '\\') {
                if (!more() || !std::strchr("\"\\/bfnrtu", s_[i_])) return false;
                if (s_[i_++] == 'u') {
                    for (int k = 0; k < 4; ++k, ++i_) {
                        if (!more() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
                    }
                }
            }
        }
        return eat('"');
    }
    template <typename Item>
    bool sequence(char open, char close, Item item) {
        if (!eat(open)) return false;
        space();
        if (eat(close)) return true;
        do {
            space();
            if (!item()) return false;
            space();
        } while (eat(','));
        return eat(close);
    }
    bool value() {
        switch (peek()) {
        case '{':
            return sequence('{', '}', [this] {
                if (!string()) return false;
                space();
                if (!eat(':')) return false;
                space();
                return value();
            });
        case '[': return sequence('[', ']', [this] { return value(); });
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }

    std::string_view s_;
    size_t i_ = 0;
};

}  // namespace

std::string json_error_position(std::string_view text) {
    const size_t offset = Scanner(text).error_offset();
    size_t line = 1, column = 1;
    for (size_t k = 0; k < offset && k < text.size(); ++k) {
        if (text[k] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace nb::host
