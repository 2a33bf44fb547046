#pragma once

#include <string>

namespace nb::test {

// The first existing `file_name` in the NB_PLUGIN_PATH folders (colon-separated),
// as meson's test() sets it; "" when none has it.
std::string find_plugin(const std::string &file_name);

}  // namespace nb::test
