#ifndef NB_RUN_H
#define NB_RUN_H

/* One node's part of one run of the graph: how execute reads inputs and
 * writes outputs. Built by the host; valid only during the execute call. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "status.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nb_run {
    nb_version_t abi;
    void *run_data;              /* the host's own; plugins never touch it */
    uint64_t run_id;             /* unique per host process, for logs */

    /* The event this node's trigger produced, when this node is the one that
     * started the run; NULL for every other node. Owned by the host, valid
     * during execute. */
    const nb_event_t *event;

    /* NB_WORKER_THREAD [worker-thread] Reads input `socket`. Returns false when
     * nothing is connected to it or no value arrived, and when any argument
     * is NULL. On true, *data (not NUL-terminated) and *len are owned by the
     * host and valid until execute returns. */
    bool (*get_input)(const struct nb_run *run, const char *socket, const char **data,
                      size_t *len);

    /* NB_WORKER_THREAD [worker-thread] Writes output `socket`; the host copies
     * `data` before returning. NB_ERR_UNKNOWN for a socket the node lacks;
     * NB_ERR_INVALID for a NULL socket, or NULL `data` with `len` > 0 (NULL
     * with 0 writes an empty value). */
    nb_status_t (*set_output)(const struct nb_run *run, const char *socket, const char *data,
                              size_t len);
} nb_run_t;

#ifdef __cplusplus
}
#endif

#endif
