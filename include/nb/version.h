#ifndef NB_VERSION_H
#define NB_VERSION_H

/* ABI versioning. Every top-level struct of the ABI starts with an nb_version_t.
 * Structs only grow by appending fields; a reader never reads past the fields
 * of the version it was built against, so a minor bump stays compatible. */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NB_VERSION_MAJOR 1u
#define NB_VERSION_MINOR 0u
#define NB_VERSION_REVISION 0u

typedef struct nb_version {
    uint32_t major;
    uint32_t minor;
    uint32_t revision;
} nb_version_t;

#define NB_VERSION_INIT {NB_VERSION_MAJOR, NB_VERSION_MINOR, NB_VERSION_REVISION}

/* [thread-safe] Same major: the two sides can talk. */
static inline bool nb_version_is_compatible(nb_version_t v) {
    return v.major == NB_VERSION_MAJOR;
}

#ifdef __cplusplus
}
#endif

#endif
