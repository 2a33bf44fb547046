#ifndef NB_DESCRIPTOR_H
#define NB_DESCRIPTOR_H

/* Static description of a node type. Everything here is owned by the plugin
 * and valid from init until deinit returns; the host never frees any of it. */

#include <stddef.h>
#include <stdint.h>

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Socket types. TEXT is UTF-8 bytes with a length. */
#define NB_SOCKET_TEXT "TEXT"

typedef struct nb_socket_desc {
    const char *name;        /* unique among the node's inputs or outputs */
    const char *type;        /* one of NB_SOCKET_* */
    const char *description;
} nb_socket_desc_t;

typedef enum nb_widget_kind {
    NB_WIDGET_NUMBER = 0,    /* integer; min and max apply, inclusive */
    NB_WIDGET_TEXT = 1,      /* UTF-8 string */
    NB_WIDGET_CHOICE = 2     /* one of choices */
} nb_widget_kind_t;

typedef struct nb_widget_desc {
    const char *name;
    nb_widget_kind_t kind;
    const char *default_value;   /* as text, the form set_widget takes */
    int64_t min;                 /* NUMBER only */
    int64_t max;                 /* NUMBER only */
    const char *description;
    const char *const *choices;  /* CHOICE only, choice_count entries; else NULL */
    uint32_t choice_count;
} nb_widget_desc_t;

/* The node starts runs by itself (through nb_host.trigger) and has no inputs. */
#define NB_NODE_EVENT_SOURCE (1u << 0)
#define NB_NODE_KNOWN_FLAGS (NB_NODE_EVENT_SOURCE)

typedef struct nb_node_descriptor {
    nb_version_t abi;              /* the ABI the descriptor was built against */
    const char *id;              /* "category.name", e.g. "events.webhook" */
    const char *title;
    const char *description;
    const char *category;
    const char *version;         /* semantic version of the node, "1.0.0" */
    const char *const *tags;     /* tag_count entries */
    uint32_t tag_count;
    const nb_socket_desc_t *inputs;
    uint32_t input_count;
    const nb_socket_desc_t *outputs;
    uint32_t output_count;
    const nb_widget_desc_t *widgets;
    uint32_t widget_count;
    uint32_t flags;              /* NB_NODE_* */
} nb_node_descriptor_t;

#ifdef __cplusplus
}
#endif

#endif
