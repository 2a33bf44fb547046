#include "json_text.hpp"

#include "utf8.hpp"

#include <algorithm>
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

char *put_json_string(char *p, std::string_view text) {
    *p++ = '"';
    for (const char c : text) {
        if (needs_escape(static_cast<unsigned char>(c))) {
            p = put_escape(p, static_cast<unsigned char>(c));
        } else {
            *p++ = c;
        }
    }
    *p++ = '"';
    return p;
}

void append_json_string(std::string &out, std::string_view text) {
    // A sink escapes a whole body every run: test 8 bytes at a time and store
    // whole words between the escapes. Before each word there is room for
    // the most it can become (6 bytes per byte) and for a whole-word store.
    constexpr std::size_t kRoom = 8 * 6 + 8;
    // Short texts that need no escape, as most names and addresses, are
    // appended as they are: making room in advance would cost them more.
    constexpr std::size_t kShort = 64;
    const char *s = text.data();
    const std::size_t n = text.size();
    if (n <= kShort && std::none_of(s, s + n, [](char c) { return needs_escape(static_cast<unsigned char>(c)); })) {
        out += '"';
        out.append(s, n);
        out += '"';
        return;
    }
    const std::size_t start = out.size();
    out.resize(start + n + n / 4 + kRoom);  // most texts need no growth
    char *p = &out[start];
    const auto make_room = [&out, &p] {
        const auto used = static_cast<std::size_t>(p - out.data());
        if (out.size() - used >= kRoom) return;
        out.resize(2 * out.size() + kRoom);
        p = out.data() + used;
    };
    *p++ = '"';
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        make_room();
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
        make_room();
        const auto c = static_cast<unsigned char>(s[i]);
        if (needs_escape(c)) {
            p = put_escape(p, c);
        } else {
            *p++ = s[i];
        }
    }
    *p++ = '"';
    out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

std::string quoted_value(std::string_view text) {
    if (!is_valid_utf8(text)) return json_string("?");
    const std::string_view shown = utf8_prefix(text, kQuotedChars);
    std::string out = json_string(shown);
    if (shown.size() < text.size()) out.insert(out.size() - 1, "\u2026");
    return out;
}

}  // namespace nb
