#include "hostile_support.hpp"

namespace nb::test {

std::size_t count_of(const std::string &text, const std::string &needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace nb::test
