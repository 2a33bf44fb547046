#ifndef NB_HOST_H
#define NB_HOST_H

/* What the host gives every node instance it creates. */

#include "event.h"
#include "extension.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nb_node nb_node_t;

/* The answer to trigger. It decides the HTTP answer: ACCEPTED -> 200,
 * QUEUE_FULL -> 503, FAILED -> 503 (shutting down or broken: nothing was
 * stored, so a retry is safe). A plugin never reports success to its caller
 * for an event the host did not accept. */
typedef enum nb_trigger_result {
    NB_TRIGGER_ACCEPTED = 0,     /* copied (stored, with a journal) and queued: without a
                                    crash it runs once; across crashes at least once */
    NB_TRIGGER_QUEUE_FULL = 1,   /* not queued; the caller may retry later */
    NB_TRIGGER_FAILED = 2        /* not queued; host shutting down or broken */
} nb_trigger_result_t;

typedef enum nb_log_level {
    NB_LOG_DEBUG = 0,
    NB_LOG_INFO = 1,
    NB_LOG_WARN = 2,
    NB_LOG_ERROR = 3
} nb_log_level_t;

/* Owned by the host; must stay valid and unchanged from create_node until the
 * instance's destroy returns. */
typedef struct nb_host {
    nb_version_t abi;
    void *host_data;             /* the host's own; plugins never touch it */

    /* NB_THREAD_SAFE [thread-safe] Usually a [server-thread].
     * Offers one event of `node` to the host. `event` and everything it points
     * to are borrowed for the duration of the call only: the host copies what it
     * keeps. Called only between a successful start and the return of stop.
     * May block to slow the senders down: nb-host waits up to 1 ms once runs
     * pile up and up to 1 s when its queue is full, so a server thread that
     * calls it must tolerate that wait. */
    nb_trigger_result_t (*trigger)(const struct nb_host *host, const nb_node_t *node,
                                   const nb_event_t *event);

    /* NB_THREAD_SAFE [thread-safe] One line of diagnostics. `node` may be NULL.
     * `message` is borrowed for the call. */
    void (*log)(const struct nb_host *host, const nb_node_t *node, nb_log_level_t level,
                const char *message);

#if NB_VERSION_MINOR >= 1
    /* 1.1: read only when nb_version_has(host->abi, 1).
     * NB_THREAD_SAFE [thread-safe] The host's extension `id` (extension.h), or
     * NULL when it has none by that id; may itself be NULL (no extensions).
     * `id` is borrowed for the call. A host with NB_EXT_ASYNC_TRIGGER wants
     * event sources to use it instead of trigger, which stays for 1.0
     * plugins. */
    const void *(*get_extension)(const struct nb_host *host, const char *id);
#endif
} nb_host_t;

#ifdef __cplusplus
}
#endif

#endif
