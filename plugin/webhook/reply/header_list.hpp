#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nb::webhook {

// The reply node's `headers` widget: extra answer headers, in the order the
// JSON object gives them.
class HeaderList {
public:
    using Field = std::pair<std::string, std::string>;  // name, value

    // `text` must be a JSON object whose every value is a string, and every
    // field one a reply may carry (net/http/reply_headers.hpp). On failure
    // `error` names the widget and the header at fault.
    static std::optional<HeaderList> parse(std::string_view text, std::string &error);

    const std::vector<Field> &fields() const noexcept { return fields_; }
    // As given: get_widget shows it back.
    const std::string &text() const noexcept { return text_; }

private:
    std::vector<Field> fields_;
    std::string text_;
};

}  // namespace nb::webhook
