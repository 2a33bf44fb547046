#include "methods.hpp"

#include "json_text.hpp"
#include "limits.hpp"

namespace nb::webhook {
namespace {

constexpr unsigned kMethodCount = sizeof kMethodNames / sizeof kMethodNames[0];

std::string_view trim(std::string_view text) noexcept {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}


// The index of `method` in kMethodNames, kMethodCount if it is none of them.
unsigned method_index(std::string_view method) noexcept {
    unsigned i = 0;
    while (i < kMethodCount && method != kMethodNames[i]) ++i;
    return i;
}

}  // namespace

std::optional<MethodSet> MethodSet::parse(std::string_view text, std::string &error) {
    if (trim(text).empty()) {
        error = std::string(kWidgetMethods) + " must list one or more of " + kMethodNamesText +
                ", separated by commas";
        return std::nullopt;
    }
    MethodSet set;
    for (std::string_view rest = text;;) {
        const auto comma = rest.find(',');
        const std::string_view entry = trim(rest.substr(0, comma));
        if (entry.empty()) {
            error = std::string(kWidgetMethods) + " has an empty entry in " + quoted_value(text) +
                    "; list one or more of " + kMethodNamesText + ", separated by commas";
            return std::nullopt;
        }
        const unsigned index = method_index(entry);
        if (index == kMethodCount) {
            error = std::string(kWidgetMethods) + " entry " + quoted_value(entry) + " is not one of " +
                    kMethodNamesText + " (method names are case-sensitive)";
            return std::nullopt;
        }
        // Refused rather than folded: a repeat is most likely a typo for another method.
        if (set.bits_ & (1u << index)) {
            error = std::string(kWidgetMethods) + " entry " + quoted_value(entry) +
                    " is given twice; list each of " + kMethodNamesText + " at most once";
            return std::nullopt;
        }
        set.bits_ |= 1u << index;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    for (unsigned i = 0; i < kMethodCount; ++i) {
        if (!(set.bits_ & (1u << i))) continue;
        if (!set.text_.empty()) set.text_ += ", ";
        set.text_ += kMethodNames[i];
    }
    return set;
}

bool MethodSet::contains(std::string_view method) const noexcept {
    const unsigned index = method_index(method);
    return index < kMethodCount && (bits_ & (1u << index));
}

}  // namespace nb::webhook
