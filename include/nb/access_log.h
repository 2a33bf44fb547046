#ifndef NB_ACCESS_LOG_H
#define NB_ACCESS_LOG_H

/* Host extension NB_EXT_ACCESS_LOG (ABI 1.1): one record per HTTP exchange
 * an event source answered, for the host's request log (nb-host
 * `--access-log`). A host offers it only while it logs requests, so a plugin
 * that finds none builds no record. Records carry no body, no header value
 * and no secret. */

#include <stdint.h>

#include "extension.h"
#include "host.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_ACCESS_LOG "nb.access_log/1"

/* Built by the plugin; it and its strings are borrowed for one record call.
 * Strings are UTF-8 and NUL-terminated; "" when unknown. */
typedef struct nb_access_record {
    const char *client;       /* "ADDR:PORT" of the peer, or the client address a
                                 trusted proxy named (X-Forwarded-For) */
    const char *method;       /* "" when the head could not be read */
    const char *path;         /* the target's path, without its query string (a
                                 query may carry a token) */
    uint16_t port;            /* the port the request came in on */
    uint16_t status;          /* the answer's status; 0 when the client left first */
    uint64_t body_bytes;      /* request body bytes read */
    uint64_t duration_ns;     /* the head's first byte to the answer's last byte */
    const char *delivery_id;  /* the sender's delivery id, "" when none */
    const char *refusal;      /* why the request was refused (the reasons of the
                                 plugin's metrics: "signature", "too_large", ...),
                                 "" for an answer that is not a refusal */
} nb_access_record_t;

typedef struct nb_host_access_log {
    /* NB_THREAD_SAFE [thread-safe] Usually a [server-thread], once the answer's
     * last byte is written (or the client left). Never blocks: the host copies
     * the record into a bounded buffer, or counts it as dropped when that is
     * full. `node` is the node the request reached, NULL when it reached none
     * (a path no node serves, a head that could not be read); any started
     * node's host may be passed then. */
    void (*record)(const nb_host_t *host, const nb_node_t *node, const nb_access_record_t *record);
} nb_host_access_log_t;

#ifdef __cplusplus
}
#endif

#endif
