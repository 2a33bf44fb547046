#include "request_json.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hex_digit.hpp"
#include "json_text.hpp"
#include "utf8.hpp"

namespace nb::net {
namespace {

// FNV-1a of a header name, ASCII letters lower-cased.
std::size_t name_hash(std::string_view name) noexcept {
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(hash);
}

void append_latin1_as_utf8(std::string &out, std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
}

void append_header_text(std::string &out, std::string_view text) {
    if (is_valid_utf8(text)) {
        append_json_string(out, text);
        return;
    }
    std::string utf8;
    append_latin1_as_utf8(utf8, text);
    append_json_string(out, utf8);
}

// Form decoding; a '%' not followed by two hex digits stays as it is.
std::string form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
                   hex_digit(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::string headers_json(const HeaderFields &headers) {
    // A repeated name is written once, where it first came, its values joined
    // in order. An open-addressing table finds a name's first field, and each
    // field links to the next of its name: linear in the number of fields,
    // with three allocations however many there are. (Names made to collide
    // in the hash cost at worst a comparison per pair of fields, as the scan
    // this replaced did, and a head has at most 100.)
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    const std::size_t n = headers.size();
    std::size_t slots = 16;
    while (slots < 2 * n) slots *= 2;
    std::vector<std::size_t> table(slots, kNone);  // a name's first field
    std::vector<std::size_t> next(n, kNone);       // the field's next of its name
    std::vector<std::size_t> last(n, kNone);       // a first field's last of its name
    const auto fields = headers.begin();
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t slot = name_hash(fields[i].first) & (slots - 1);
        while (table[slot] != kNone && fields[table[slot]].first != fields[i].first) {
            slot = (slot + 1) & (slots - 1);
        }
        if (table[slot] == kNone) {
            table[slot] = last[i] = i;
        } else {
            next[last[table[slot]]] = i;
            last[table[slot]] = i;
        }
    }
    std::string out = "{";
    std::string joined;
    for (std::size_t i = 0; i < n; ++i) {
        if (last[i] == kNone) continue;  // a repeat, written with its first
        if (out.size() > 1) out += ',';
        append_header_text(out, fields[i].first);
        out += ':';
        append_header_text(out, fields[i].second);
        for (std::size_t later = next[i]; later != kNone; later = next[later]) {
            out.pop_back();  // the closing quote of the value so far
            out += ", ";
            joined.clear();
            append_header_text(joined, fields[later].second);
            out.append(joined, 1, std::string::npos);
        }
    }
    out += '}';
    return out;
}

QueryJson query_json(std::string_view query) {
    // Each name once, where it first came, with its values in order. The map
    // finds a name's slot in constant time (even names chosen to collide in
    // its hash cost at most kMaxQueryParameters squared comparisons); its
    // nodes keep the names in place for `params` to point at.
    struct Param {
        const std::string *name;
        std::string value;              // the first
        std::vector<std::string> more;  // those of its repeats
    };
    std::unordered_map<std::string, std::size_t> slots;
    slots.reserve(std::min<std::size_t>(
        1 + static_cast<std::size_t>(std::count(query.begin(), query.end(), '&')),
        kMaxQueryParameters));
    std::vector<Param> params;
    std::size_t count = 0;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (part.empty()) continue;
        if (++count > kMaxQueryParameters) return {{}, QueryJson::Error::too_many};
        const auto eq = part.find('=');
        std::string name = form_decode(part.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string()
                                                         : form_decode(part.substr(eq + 1));
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
            return {{}, QueryJson::Error::bad_utf8};
        }
        const auto [slot, added] = slots.try_emplace(std::move(name), params.size());
        if (added) {
            params.push_back({&slot->first, std::move(value), {}});
        } else {
            params[slot->second].more.push_back(std::move(value));
        }
    }
    QueryJson result;
    std::string &out = result.json;
    out = "{";
    for (const Param &param : params) {
        if (out.size() > 1) out += ',';
        append_json_string(out, *param.name);
        out += ':';
        if (param.more.empty()) {
            append_json_string(out, param.value);
            continue;
        }
        out += '[';
        append_json_string(out, param.value);
        for (const std::string &value : param.more) {
            out += ',';
            append_json_string(out, value);
        }
        out += ']';
    }
    out += '}';
    return result;
}

}  // namespace nb::net
