#pragma once

#include <string>

#include "conformance_config.hpp"

namespace nb::conformance {

// Checks --manifest-dir and --manifest against what exists and what the
// plugins provide, and fills cfg.manifest_by_id. Returns "" when they hold,
// else the usage error naming the folder, file or node type. A --manifest
// whose id no plugin provides is an error only when every plugin loaded:
// otherwise the loading rule fails the run, and the id may be the missing
// plugin's.
std::string resolve_manifest_options(Config &cfg);

}  // namespace nb::conformance
