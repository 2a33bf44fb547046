#include "request_json.hpp"

#include <utility>
#include <vector>

#include "json_text.hpp"
#include "utf8.hpp"

namespace nb::net {
namespace {

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

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Form decoding; a '%' not followed by two hex digits stays as it is.
std::string form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::string headers_json(const HeaderFields &headers) {
    std::string out = "{";
    std::string joined;
    for (auto field = headers.begin(); field != headers.end(); ++field) {
        // A repeated name is written once, where it first came, its values joined.
        bool repeat = false;
        for (auto before = headers.begin(); before != field && !repeat; ++before) {
            repeat = iequals(before->first, field->first);
        }
        if (repeat) continue;
        std::string lower(field->first);
        for (char &c : lower) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        if (out.size() > 1) out += ',';
        append_header_text(out, lower);
        out += ':';
        append_header_text(out, field->second);
        for (auto later = field + 1; later != headers.end(); ++later) {
            if (!iequals(later->first, field->first)) continue;
            out.pop_back();  // the closing quote of the value so far
            out += ", ";
            joined.clear();
            append_header_text(joined, later->second);
            out.append(joined, 1, std::string::npos);
        }
    }
    out += '}';
    return out;
}

std::optional<std::string> query_json(std::string_view query) {
    std::vector<std::pair<std::string, std::vector<std::string>>> params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        std::string name = form_decode(part.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string()
                                                         : form_decode(part.substr(eq + 1));
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) return std::nullopt;
        auto it = params.begin();
        while (it != params.end() && it->first != name) ++it;
        if (it == params.end()) {
            params.emplace_back(std::move(name), std::vector<std::string>{std::move(value)});
        } else {
            it->second.push_back(std::move(value));
        }
    }
    std::string out = "{";
    for (const auto &[name, values] : params) {
        if (out.size() > 1) out += ',';
        append_json_string(out, name);
        out += ':';
        if (values.size() == 1) {
            append_json_string(out, values.front());
            continue;
        }
        out += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, values[i]);
        }
        out += ']';
    }
    out += '}';
    return out;
}

}  // namespace nb::net
