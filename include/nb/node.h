#ifndef NB_NODE_H
#define NB_NODE_H

/* A node instance: one node of a workflow, made by nb_plugin_entry.create_node.
 * Owned by the plugin from create_node until destroy returns. Calls on one
 * instance are never concurrent with each other, except that execute may run
 * on a worker thread while the instance is started. */

#include "descriptor.h"
#include "extension.h"
#include "host.h"
#include "run.h"
#include "status.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nb_node {
    nb_version_t abi;
    const nb_node_descriptor_t *descriptor;  /* owned by the plugin, valid until deinit */
    void *node_data;                         /* the plugin's own */

    /* NB_MAIN_THREAD [main-thread] Stops the node if started, then frees it;
     * `node` is invalid afterwards. */
    void (*destroy)(const nb_node_t *node);

    /* NB_MAIN_THREAD [main-thread] Sets a widget from its text form. Unknown
     * name -> NB_ERR_UNKNOWN, bad value -> NB_ERR_INVALID; on error the previous
     * value stays. Strings are borrowed for the call. Takes effect at the next
     * start. */
    nb_status_t (*set_widget)(const nb_node_t *node, const char *name, const char *value);

    /* NB_MAIN_THREAD [main-thread] The widget's current value as text, or NULL
     * for an unknown name. Owned by the plugin, valid until the next set_widget
     * or destroy on this instance. */
    const char *(*get_widget)(const nb_node_t *node, const char *name);

    /* NB_MAIN_THREAD [main-thread] "Listen for Events". Only event sources
     * listen; for other nodes it is a no-op returning NB_OK. A second start
     * without stop -> NB_ERR_STATE. A taken port -> NB_ERR_IO, a taken port and
     * path -> NB_ERR_IN_USE. */
    nb_status_t (*start)(const nb_node_t *node);

    /* NB_MAIN_THREAD [main-thread] Returns only when no handler thread of this
     * node can run, no trigger or submit for it is in progress, and no outcome
     * can reach it any more: an event source that used NB_EXT_ASYNC_TRIGGER
     * calls its cancel_pending before returning. Harmless when not started. */
    void (*stop)(const nb_node_t *node);

    /* NB_WORKER_THREAD [worker-thread] Runs the node once for `run`, which is
     * borrowed for the call. Never throws; failure is a status plus last_error. */
    nb_status_t (*execute)(const nb_node_t *node, const nb_run_t *run);

    /* [the thread of the failed call] Message of the last failed call on this
     * instance, "" if none. Owned by the plugin, valid until the next call on
     * this instance. */
    const char *(*last_error)(const nb_node_t *node);

#if NB_VERSION_MINOR >= 1
    /* 1.1: read only when nb_version_has(node->abi, 1).
     * NB_THREAD_SAFE [thread-safe] The instance's extension `id`
     * (extension.h), or NULL; may itself be NULL. `id` is borrowed for the
     * call. */
    const void *(*get_extension)(const nb_node_t *node, const char *id);
#endif
};

#ifdef __cplusplus
}
#endif

#endif
