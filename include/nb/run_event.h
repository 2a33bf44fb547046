#ifndef NB_RUN_EVENT_H
#define NB_RUN_EVENT_H

/* Host extension NB_EXT_RUN_EVENT (ABI 1.1): which stored event a run comes
 * from. A host with a journal runs an event at least once across crashes
 * (and again on each retry): a node whose side effects must happen once keys
 * them on the event id. */

#include <stdbool.h>
#include <stdint.h>

#include "extension.h"
#include "host.h"
#include "run.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_RUN_EVENT "nb.run_event/1"

typedef struct nb_host_run_event {
    /* NB_WORKER_THREAD [worker-thread] Inside `run`'s execute only, for any
     * node of the run. On true, *event_id is the stored event's id (unique in
     * its journal, never reused) and *attempt which run of it this is: 1 plus
     * the runs of it that ended before (failed, then retried or replayed). A
     * run cut short by a crash is not counted: key side effects on the event
     * id. false, nothing written, when the event was not stored (no journal),
     * when `run` is not the handle executing on this thread now, or for a
     * NULL argument. */
    bool (*get)(const nb_host_t *host, const nb_run_t *run, uint64_t *event_id, uint32_t *attempt);
} nb_host_run_event_t;

#ifdef __cplusplus
}
#endif

#endif
