#pragma once

#include <nb/host.h>

namespace nb {

// [thread-safe] The host's extension `id` as a `T`, or nullptr when the host
// has none: a 1.0 host (its struct ends before get_extension), a NULL
// get_extension, or an unknown id.
template <typename T>
const T *host_extension(const nb_host_t *host, const char *id) noexcept {
    if (!host || !nb_version_has(host->abi, 1) || !host->get_extension) return nullptr;
    return static_cast<const T *>(host->get_extension(host, id));
}

}  // namespace nb
