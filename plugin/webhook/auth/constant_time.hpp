#pragma once

#include <string_view>

namespace nb::webhook::auth {

// Equal bytes, in a time that depends only on the lengths: a caller probing
// a signature learns nothing from how long the comparison took. Lengths are
// not secret here (digests have a fixed size; tokens are hashed first).
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace nb::webhook::auth
