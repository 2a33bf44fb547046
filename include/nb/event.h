#ifndef NB_EVENT_H
#define NB_EVENT_H

/* What an event source hands the host: for the webhook, one accepted request. */

#include <stddef.h>
#include <stdint.h>

#include "extension.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All pointers are owned by the side that built the event and are valid only
 * for the call that receives it (nb_host_t.trigger); a host that keeps the
 * event copies every field. Strings are UTF-8 and NUL-terminated; body and the
 * JSON texts also carry their length, and body may contain NUL bytes. */
typedef struct nb_event {
    nb_version_t abi;
    const char *method;          /* "POST", or the method that started the run */
    const char *path;            /* request path, query string removed */
    const char *body;            /* the request body exactly, valid UTF-8 */
    size_t body_len;
    const char *headers_json;    /* JSON object: lower-cased name -> value */
    size_t headers_json_len;
    const char *query_json;      /* JSON object: query parameter -> value */
    size_t query_json_len;
    const char *remote_addr;     /* the client: "127.0.0.1:53412", or an address
                                    alone ("203.0.113.7") that a trusted proxy
                                    reported */

#if NB_VERSION_MINOR >= 1
    /* 1.1: read only when nb_version_has(event->abi, 1).
     * NB_THREAD_SAFE [thread-safe] The event's extension `id` (extension.h,
     * e.g. NB_EXT_DELIVERY), or NULL; may itself be NULL. What it returns is
     * valid as long as the event. */
    const void *(*get_extension)(const struct nb_event *event, const char *id);
#endif
} nb_event_t;

#ifdef __cplusplus
}
#endif

#endif
