#include "header_fields.hpp"

namespace nb::net {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim_ows(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

void HeaderFields::add(std::string_view name, std::string_view value) {
    Field &field = fields_.emplace_back(name, value);
    for (char &c : field.first) c = lower(c);
}

const std::string *HeaderFields::find(std::string_view name) const noexcept {
    for (const Field &field : fields_) {
        if (field.first == name) return &field.second;
    }
    return nullptr;
}

}  // namespace nb::net
