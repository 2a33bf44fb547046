#include "json_text.hpp"

#include <cstdint>
#include <cstring>

namespace nb {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the first byte of a word is its lowest");

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kLow7 = 0x7F * kOnes;

// 0x80 in exactly the zero bytes of v (no borrow between bytes).
std::uint64_t zero_bytes(std::uint64_t v) { return ~(((v & kLow7) + kLow7) | v | kLow7); }

// 0x80 in each byte below 0x20: those need \u00XX unless a short escape exists.
std::uint64_t control_bytes(std::uint64_t w) { return zero_bytes(w & (0xE0 * kOnes)); }

// 0x80 in each byte a JSON string literal cannot hold as it is.
std::uint64_t escape_bytes(std::uint64_t w) {
    return control_bytes(w) | zero_bytes(w ^ ('"' * kOnes)) | zero_bytes(w ^ ('\\' * kOnes));
}

std::size_t count_bytes(std::uint64_t mask) { return ((mask >> 7) * kOnes) >> 56; }

std::uint64_t load(const char *p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

char *put_escape(char *p, unsigned char c) {
    static constexpr char hex[] = "0123456789abcdef";
    char letter = static_cast<char>(c);  // '"' and '\\' escape as themselves
    switch (c) {
    case '\n': letter = 'n'; break;
    case '\r': letter = 'r'; break;
    case '\t': letter = 't'; break;
    case '\b': letter = 'b'; break;
    case '\f': letter = 'f'; break;
    default:
        if (c < 0x20) {
            for (const char e : {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]}) *p++ = e;
            return p;
        }
    }
    *p++ = '\\';
    *p++ = letter;
    return p;
}

}  // namespace

void append_json_string(std::string &out, std::string_view text) {
    // A sink escapes a whole body every run: test 8 bytes at a time, size the
    // literal once (at most 6 bytes per control byte, 2 per other escape)
    // and store whole words between the escapes.
    const char *s = text.data();
    const std::size_t n = text.size();
    std::size_t bound = n + 2;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const std::uint64_t w = load(s + i);
        bound += count_bytes(escape_bytes(w)) + 4 * count_bytes(control_bytes(w));
    }
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        bound += needs_escape(c) + 4 * (c < 0x20);
    }
    // 8 bytes of slack: a whole word may be stored where only its first
    // bytes, up to an escape, count.
    const std::size_t start = out.size();
    out.resize(start + bound + 8);
    char *const begin = &out[start];
    char *p = begin;
    *p++ = '"';
    for (i = 0; i + 8 <= n; i += 8) {
        std::uint64_t w = load(s + i);
        std::uint64_t mask = escape_bytes(w);
        std::size_t done = 0;  // bytes of this word written
        for (; mask != 0; mask &= mask - 1) {
            const auto at = static_cast<std::size_t>(__builtin_ctzll(mask)) / 8;
            std::memcpy(p, &w, sizeof w);
            p = put_escape(p + (at - done), static_cast<unsigned char>(s[i + at]));
            w = (w >> 8 * (at - done)) >> 8;  // 8 * 8 bits in one shift is undefined
            done = at + 1;
        }
        std::memcpy(p, &w, sizeof w);
        p += 8 - done;
    }
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (needs_escape(c)) {
            p = put_escape(p, c);
        } else {
            *p++ = s[i];
        }
    }
    *p++ = '"';
    out.resize(start + static_cast<std::size_t>(p - begin));
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

}  // namespace nb
