#ifndef NB_LISTEN_ADDRESS_H
#define NB_LISTEN_ADDRESS_H

/* Node extension NB_EXT_LISTEN_ADDRESS (ABI 1.1): where a started event
 * source listens, so a host can show it without knowing its widgets. */

#include <stdbool.h>
#include <stdint.h>

#include "extension.h"
#include "node.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_LISTEN_ADDRESS "nb.listen_address/1"

/* Strings owned by the node, valid until its stop or destroy. */
typedef struct nb_listen_address {
    const char *scheme;          /* "http" or "https" */
    const char *address;         /* the bound address: "0.0.0.0", "127.0.0.1", "::" */
    uint16_t port;
    const char *path;            /* "/webhook" */
} nb_listen_address_t;

typedef struct nb_node_listen_address {
    /* NB_MAIN_THREAD [main-thread] How many addresses the node listens on:
     * 0 unless started. */
    uint32_t (*count)(const nb_node_t *node);

    /* NB_MAIN_THREAD [main-thread] Address `index` (< count) into *out;
     * false, *out untouched, past the end or for a NULL argument. */
    bool (*get)(const nb_node_t *node, uint32_t index, nb_listen_address_t *out);
} nb_node_listen_address_t;

#ifdef __cplusplus
}
#endif

#endif
