#ifndef NB_PLUGIN_H
#define NB_PLUGIN_H

/* The one symbol a plugin exports: `const nb_plugin_entry_t nb_plugin_entry`.
 * A host loads the library, reads nb_plugin_entry.abi, and talks to it only if
 * nb_version_is_compatible(abi). Include this header to get the whole ABI.
 *
 * This header declares nb_plugin_entry itself, with C linkage and default
 * visibility, so a plain definition in C or C++,
 *     const nb_plugin_entry_t nb_plugin_entry = { NB_VERSION_INIT, ... };
 * is exported even when built with -fvisibility=hidden (which hides the rest),
 * and a C++ one keeps external linkage and an unmangled name. */

#include <stdbool.h>
#include <stdint.h>

#include "async_trigger.h"
#include "delivery.h"
#include "descriptor.h"
#include "event.h"
#include "extension.h"
#include "host.h"
#include "listen_address.h"
#include "node.h"
#include "run.h"
#include "run_reply.h"
#include "status.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nb_plugin_entry {
    nb_version_t abi;

    /* NB_MAIN_THREAD [main-thread] First call after loading. `plugin_path` is
     * the library's file, borrowed for the call. May be called again; each
     * successful init needs one deinit. Returns false when the plugin cannot
     * work, and then must not be used. */
    bool (*init)(const char *plugin_path);

    /* NB_MAIN_THREAD [main-thread] Undoes one init. After the last one, every
     * instance must have been destroyed and no descriptor is used any more. */
    void (*deinit)(void);

    /* NB_MAIN_THREAD [main-thread] Number of node types, between init and deinit. */
    uint32_t (*node_count)(void);

    /* NB_MAIN_THREAD [main-thread] Descriptor `index` (< node_count), NULL past
     * the end. Owned by the plugin, valid until the last deinit. */
    const nb_node_descriptor_t *(*node_descriptor)(uint32_t index);

    /* NB_MAIN_THREAD [main-thread] A new instance of node type `node_type` for
     * the workflow node `node_id` (used in messages). Both strings are borrowed
     * for the call; `host` must outlive the instance. NULL for an unknown type.
     * The instance is owned by the plugin until its destroy. */
    const nb_node_t *(*create_node)(const char *node_type, const char *node_id,
                                    const nb_host_t *host);

#if NB_VERSION_MINOR >= 1
    /* 1.1: read only when nb_version_has(nb_plugin_entry.abi, 1).
     * NB_MAIN_THREAD [main-thread] The plugin's extension `id`
     * (extension.h), or NULL; may itself be NULL. Between init and deinit;
     * `id` is borrowed for the call. */
    const void *(*get_extension)(const char *id);
#endif
} nb_plugin_entry_t;

#define NB_PLUGIN_ENTRY_SYMBOL "nb_plugin_entry"

/* Default visibility: exported from a shared library built with
 * -fvisibility=hidden. Empty on compilers without the attribute. */
#if defined(__GNUC__) || defined(__clang__)
#define NB_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define NB_PLUGIN_EXPORT
#endif

/* Defined by the plugin, exactly once; read by the host [main-thread] after
 * loading. The plugin owns it and everything it points to; it lives as long
 * as the library is loaded. */
NB_PLUGIN_EXPORT extern const nb_plugin_entry_t nb_plugin_entry;

#ifdef __cplusplus
}
#endif

#endif
