#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nb::net {

// ASCII case-insensitive equality: header names and the tokens in their
// values are ASCII.
bool iequals(std::string_view a, std::string_view b) noexcept;

// `text` without the optional whitespace (RFC 9110 OWS: spaces and tabs) that
// may surround a field value or an element of a comma-separated list.
std::string_view trim_ows(std::string_view text) noexcept;

// A request's header fields in the order they came. Names are lower-cased
// once, as they are added (RFC 9110 5.1: they are case-insensitive; nginx
// does the same), so no reader compares them without case again. A flat
// list: a request carries a few, so a linear search costs less than any
// index, and building it is one copy per field.
class HeaderFields {
public:
    using Field = std::pair<std::string, std::string>;
    using const_iterator = std::vector<Field>::const_iterator;

    void add(std::string_view name, std::string_view value);
    // Keeps the list's storage for the next request.
    void clear() noexcept { fields_.clear(); }

    // The first value of `name`, given in lower case, or nullptr.
    const std::string *find(std::string_view name) const noexcept;

    const_iterator begin() const noexcept { return fields_.begin(); }
    const_iterator end() const noexcept { return fields_.end(); }
    std::size_t size() const noexcept { return fields_.size(); }

private:
    std::vector<Field> fields_;
};

}  // namespace nb::net
