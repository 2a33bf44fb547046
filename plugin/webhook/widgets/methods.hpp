#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook {

// The HTTP methods that start a run (widget `methods`): a non-empty subset of
// kMethodNames.
class MethodSet {
public:
    // A comma-separated list of kMethodNames, spaces allowed around each
    // entry; names are case-sensitive (RFC 9110 9.1), and none may be empty
    // or given twice. On failure `error` names the widget, the bad entry and
    // the methods allowed.
    static std::optional<MethodSet> parse(std::string_view text, std::string &error);

    // True when `method`, as the request spelt it, is in the set.
    bool contains(std::string_view method) const noexcept;

    // The set in the order of kMethodNames, joined with ", ": what get_widget
    // shows and what an Allow header lists.
    const std::string &text() const noexcept { return text_; }

private:
    unsigned bits_ = 0;  // bit i: kMethodNames[i]
    std::string text_;
};

}  // namespace nb::webhook
