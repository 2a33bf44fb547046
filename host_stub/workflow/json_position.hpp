#pragma once

#include <string>
#include <string_view>

namespace nb::host {

// "line L, column C" of the first byte at which `text` stops being JSON
// (RFC 8259). Poco's parser says what is wrong but not where; this says where.
std::string json_error_position(std::string_view text);

}  // namespace nb::host
