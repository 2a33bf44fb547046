#ifndef NB_DELIVERY_H
#define NB_DELIVERY_H

/* Event extension NB_EXT_DELIVERY (ABI 1.1): the sender's delivery id and the
 * node's dedupe window, so that a host with a store dedupes atomically with
 * storing (NB_OUTCOME_DUPLICATE, async_trigger.h). */

#include <stddef.h>
#include <stdint.h>

#include "extension.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_DELIVERY "nb.delivery/1"

/* Owned by the event's builder, valid as long as the event. */
typedef struct nb_event_delivery {
    const char *id;              /* id_len bytes, UTF-8; NULL when the sender gave none */
    size_t id_len;
    uint32_t dedupe_window_s;    /* a second event with the same id within this many
                                    seconds of the stored one is a duplicate; 0: never */
} nb_event_delivery_t;

#ifdef __cplusplus
}
#endif

#endif
