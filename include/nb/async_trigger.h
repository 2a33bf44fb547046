#ifndef NB_ASYNC_TRIGGER_H
#define NB_ASYNC_TRIGGER_H

/* Host extension NB_EXT_ASYNC_TRIGGER (ABI 1.1): hand an event over and be
 * told its outcome later, exactly once, from any thread, so that an event
 * source never blocks while the host decides (stores it, waits for room in
 * its queue, or runs the graph to get its reply). The 1.0 nb_host_t.trigger
 * stays for hosts without it. */

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "extension.h"
#include "host.h"
#include "run_reply.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_ASYNC_TRIGGER "nb.async_trigger/1"

typedef enum nb_outcome_kind {
    NB_OUTCOME_ACCEPTED = 0,     /* stored: without a crash it runs once; across
                                    crashes (a host with a journal) at least once */
    NB_OUTCOME_REFUSED = 1,      /* not stored, will not run: a retry is safe */
    NB_OUTCOME_DUPLICATE = 2,    /* its delivery id (delivery.h) was stored within
                                    the window: no new run */
    NB_OUTCOME_FINISHED = 3,     /* AWAIT_RUN: the run ended with no reply */
    NB_OUTCOME_REPLY = 4,        /* AWAIT_RUN: a node of the run replied */
    NB_OUTCOME_RUN_FAILED = 5,   /* AWAIT_RUN: the run failed */
    NB_OUTCOME_CANCELLED = 6     /* cancel_pending came before any other outcome */
} nb_outcome_kind_t;

typedef enum nb_refusal {
    NB_REFUSED_QUEUE_FULL = 0,      /* no room for it within the host's wait */
    NB_REFUSED_STORE_FAILING = 1,   /* the event store could not keep it */
    NB_REFUSED_SHUTTING_DOWN = 2,   /* the host is stopping */
    NB_REFUSED_NODE_STOPPING = 3    /* the node's cancel_pending has begun */
} nb_refusal_t;

/* Borrowed by deliver for the call only. */
typedef struct nb_outcome {
    nb_version_t abi;
    nb_outcome_kind_t kind;
    nb_refusal_t refusal;        /* REFUSED only */
    const char *message;         /* REFUSED, RUN_FAILED: why, for the caller; may be NULL */
    const char *failed_node;     /* RUN_FAILED: the workflow id of the node that failed */
    const nb_reply_t *reply;     /* REPLY only */
    bool accepted;               /* CANCELLED: the event was stored and still runs */
} nb_outcome_t;

/* Where one submit's outcome goes. Owned by the plugin, which keeps it valid
 * until its deliver is called; the host never touches it after calling
 * deliver (deliver may free it). */
typedef struct nb_outcome_sink {
    void *context;               /* the plugin's own */

    /* NB_THREAD_SAFE [thread-safe] Called exactly once per submit: on the
     * submitting thread before submit returns, or later on any host thread,
     * or inside cancel_pending. Must not block (hand the outcome to the
     * source's own thread) and must not call back into the host. */
    void (*deliver)(const struct nb_outcome_sink *sink, const nb_outcome_t *outcome);
} nb_outcome_sink_t;

/* The run's outcome is wanted (the caller waits for the run's reply), not
 * only its acceptance. */
#define NB_SUBMIT_AWAIT_RUN (1u << 0)

/* The host dedupes by the event's NB_EXT_DELIVERY, atomically with storing
 * it: the source may skip its own dedupe cache. */
#define NB_ASYNC_HOST_DEDUPES (1u << 0)

typedef struct nb_host_async_trigger {
    uint32_t flags;              /* NB_ASYNC_HOST_* */

    /* NB_THREAD_SAFE [thread-safe] Usually a [server-thread]. Offers one event
     * of `node`; never blocks on the host's queue, store or runs. Called only
     * between a successful start and the return of stop. `event` and all it
     * points to are borrowed for the call (the host copies); `sink` until its
     * deliver is called. The outcome: without NB_SUBMIT_AWAIT_RUN, ACCEPTED,
     * REFUSED, DUPLICATE or CANCELLED; with it, REFUSED, DUPLICATE, FINISHED,
     * REPLY, RUN_FAILED or CANCELLED. */
    void (*submit)(const nb_host_t *host, const nb_node_t *node, const nb_event_t *event,
                   uint32_t flags, const nb_outcome_sink_t *sink);

    /* NB_MAIN_THREAD [main-thread] Called by the node's stop once no submit
     * for it is in progress or can start. Before it returns, every outcome of
     * `node` not delivered yet is delivered as CANCELLED, and any deliver for
     * `node` in progress on another thread has returned: afterwards none can
     * reach the node, so it may free its sinks and be unloaded. Runs already
     * accepted go on. */
    void (*cancel_pending)(const nb_host_t *host, const nb_node_t *node);
} nb_host_async_trigger_t;

#ifdef __cplusplus
}
#endif

#endif
