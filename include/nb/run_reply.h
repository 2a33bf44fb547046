#ifndef NB_RUN_REPLY_H
#define NB_RUN_REPLY_H

/* Host extension NB_EXT_RUN_REPLY (ABI 1.1): a node inside a run sets the
 * answer the run's event source gives its caller, when that source asked to
 * wait for the run (NB_SUBMIT_AWAIT_RUN, async_trigger.h). For the webhook:
 * its respond=when_finished answer. */

#include <stddef.h>
#include <stdint.h>

#include "extension.h"
#include "host.h"
#include "run.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_RUN_REPLY "nb.run_reply/1"

/* One extra header of a reply. Both strings UTF-8, NUL-terminated. */
typedef struct nb_header_field {
    const char *name;    /* an HTTP token, e.g. "X-Request-Id" */
    const char *value;   /* no CR, LF or NUL */
} nb_header_field_t;

/* An answer to the caller. Every pointer is borrowed by whoever it is handed
 * to, for that call only. The event source that writes it checks it again
 * (it may come from any plugin): one it cannot send is answered 500. */
typedef struct nb_reply {
    nb_version_t abi;
    uint32_t status;                    /* 200-599 */
    const char *content_type;           /* NULL: "application/json" */
    const nb_header_field_t *headers;   /* header_count entries; NULL when 0. Never
                                           Content-Length, Transfer-Encoding,
                                           Connection, Date or Server */
    uint32_t header_count;
    const char *body;                   /* body_len bytes, any content; NULL when 0 */
    size_t body_len;
} nb_reply_t;

typedef enum nb_reply_result {
    NB_REPLY_SET = 0,            /* this is the run's answer */
    NB_REPLY_NOT_AWAITED = 1,    /* nobody waits for this run's answer (the source
                                    answered when the event was accepted, or the
                                    run was not started by a caller): ignored */
    NB_REPLY_ALREADY_SET = 2,    /* an earlier node of this run replied; the first
                                    reply wins, this one is ignored */
    NB_REPLY_INVALID = 3         /* a NULL argument, a run that is not executing
                                    now, or a status outside 200-599 */
} nb_reply_result_t;

typedef struct nb_host_run_reply {
    /* NB_WORKER_THREAD [worker-thread] Inside `run`'s execute only: `run` is
     * the handle that execute was given, and it is refused (INVALID) once
     * execute returned. `reply` and everything it points to are borrowed for
     * the call; the host copies what it keeps. */
    nb_reply_result_t (*set_reply)(const nb_host_t *host, const nb_run_t *run,
                                   const nb_reply_t *reply);
} nb_host_run_reply_t;

#ifdef __cplusplus
}
#endif

#endif
