#ifndef NB_EXTENSION_H
#define NB_EXTENSION_H

/* Extensions (ABI 1.1), as CLAP's get_extension: an optional interface or
 * piece of data is looked up by a string id on the plugin entry, the host,
 * a node or an event. The rules:
 *
 * - An id is "nb.<name>/<n>" and names one struct layout forever; a layout
 *   that changes gets a new id, so extensions never need a new major.
 * - get_extension returns NULL for an id it does not know: "not supported",
 *   never an error. A get_extension pointer that is itself NULL means the
 *   same for every id. A struct whose version lacks get_extension (1.0) has
 *   none.
 * - The struct returned is owned by the side that returns it, never freed by
 *   the caller, and valid as long as what it was asked of: the plugin until
 *   its last deinit, the host as long as its nb_host_t, a node until destroy,
 *   an event as long as the event.
 * - The ids this ABI defines are the NB_EXT_* macros of
 *   async_trigger.h, run_reply.h, run_event.h, delivery.h, listen_address.h,
 *   metrics.h and access_log.h. Others
 *   may define their own under a prefix of their own ("acme.metrics/1"). */

#include "version.h"

#endif
