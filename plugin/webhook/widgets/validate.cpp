#include "validate.hpp"

#include "integer.hpp"
#include "json_text.hpp"
#include "utf8.hpp"

namespace nb::webhook {

std::optional<std::int64_t> parse_integer_widget(std::string_view widget, std::string_view text,
                                                 std::int64_t min, std::int64_t max,
                                                 std::string &error) {
    const auto value = parse_integer(text);
    if (value && *value >= min && *value <= max) return value;
    error = std::string(widget) + " must be an integer in " + std::to_string(min) + "\u2013" +
            std::to_string(max) + ", got " + quoted_value(text);
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
                quoted_value(path);
    }
    return ok;
}

}  // namespace nb::webhook
