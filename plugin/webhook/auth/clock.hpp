#pragma once

#include <cstdint>
#include <functional>

namespace nb::webhook::auth {

// Unix time in seconds. Injected so that tests can verify a published
// vector at the time it was signed, or step past a dedupe window.
using Clock = std::function<std::int64_t()>;

Clock system_clock();

}  // namespace nb::webhook::auth
