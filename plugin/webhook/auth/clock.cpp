#include "clock.hpp"

#include <chrono>

namespace nb::webhook::auth {

Clock system_clock() {
    return [] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
    };
}

}  // namespace nb::webhook::auth
