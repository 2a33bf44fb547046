#include "validate.hpp"

#include <charconv>

#include "json_text.hpp"
#include "utf8.hpp"

namespace nb::webhook {

std::optional<std::int64_t> parse_integer_widget(std::string_view widget, std::string_view text,
                                                 std::int64_t min, std::int64_t max,
                                                 std::string &error) {
    std::int64_t value = 0;
    const char *first = text.data();
    const char *last = first + text.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (!text.empty() && ec == std::errc() && end == last && value >= min && value <= max) {
        return value;
    }
    error = std::string(widget) + " must be an integer in " + std::to_string(min) + "\u2013" +
            std::to_string(max) + ", got " + json_string(is_valid_utf8(text) ? text : "?");
    return std::nullopt;
}

bool is_valid_webhook_path(std::string_view path, std::string &error) {
    bool ok = !path.empty() && path.front() == '/' && is_valid_utf8(path);
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7F || c == '?' || c == '#') ok = false;
    }
    if (!ok) {
        error = "path must start with \"/\" and contain no whitespace, control characters, "
                "\"?\" or \"#\", got " +
                json_string(is_valid_utf8(path) ? path : "?");
    }
    return ok;
}

}  // namespace nb::webhook
