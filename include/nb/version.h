#ifndef NB_VERSION_H
#define NB_VERSION_H

/* ABI versioning. Every top-level struct of the ABI starts with an nb_version_t.
 * Structs only grow by appending fields, each marked with the minor version
 * that added it. A reader reads such a field only when the struct's own
 * version has it (nb_version_has), so a 1.1 host never reads past the end of
 * a 1.0 plugin's struct, nor a 1.1 plugin past a 1.0 host's.
 *
 * Defining NB_VERSION_MINOR to 0u before including builds against 1.0's
 * layout: the structs end where 1.0's did (the tests' 1.0 fixtures do this). */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NB_VERSION_MAJOR 1u
#ifndef NB_VERSION_MINOR
#define NB_VERSION_MINOR 1u
#endif
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

/* [thread-safe] A struct stamped `v` has the fields that minor version
 * `minor` of this major added: read them only then. */
static inline bool nb_version_has(nb_version_t v, uint32_t minor) {
    return v.major == NB_VERSION_MAJOR && v.minor >= minor;
}

#ifdef __cplusplus
}
#endif

#endif
