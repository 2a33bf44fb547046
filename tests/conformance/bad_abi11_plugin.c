/* A 1.1 plugin written in C that breaks the 1.1 rules on purpose:
 * nb-conformance must name each. Its entry and its node answer an unknown
 * extension id with a pointer instead of NULL; its node replies from start
 * (outside any execute) and ignores NB_REPLY_ALREADY_SET. Everything else
 * about it is well formed. */
#include <nb/plugin.h>

#include <stdlib.h>
#include <string.h>

static const nb_socket_desc_t outputs[] = {{"out", NB_SOCKET_TEXT, "nothing useful"}};

static const nb_node_descriptor_t descriptor = {
    NB_VERSION_INIT, "test.bad_abi11", "Bad 1.1", "breaks the ABI 1.1 rules on purpose",
    "Test", "1.0.0", NULL, 0, NULL, 0, outputs, 1, NULL, 0, 0};

/* Some object that is not the struct any id names. */
static const char garbage[] = "not an extension";

typedef struct bad_node {
    nb_node_t abi;
    const nb_host_t *host;
} bad_node_t;

/* The host's NB_EXT_RUN_REPLY, or NULL. */
static const nb_host_run_reply_t *run_reply(const nb_host_t *host) {
    if (!nb_version_has(host->abi, 1) || !host->get_extension) return NULL;
    return (const nb_host_run_reply_t *)host->get_extension(host, NB_EXT_RUN_REPLY);
}

static nb_reply_result_t reply(const nb_node_t *node, const nb_run_t *run) {
    const nb_host_t *host = ((const bad_node_t *)node->node_data)->host;
    const nb_host_run_reply_t *ext = run_reply(host);
    const nb_reply_t r = {NB_VERSION_INIT, 200, NULL, NULL, 0, NULL, 0};
    return ext ? ext->set_reply(host, run, &r) : NB_REPLY_NOT_AWAITED;
}

static void destroy(const nb_node_t *node) { free(node->node_data); }
static nb_status_t set_widget(const nb_node_t *node, const char *name, const char *value) {
    (void)node; (void)name; (void)value;
    return NB_ERR_UNKNOWN;
}
static const char *get_widget(const nb_node_t *node, const char *name) {
    (void)node; (void)name;
    return NULL;
}
/* Broken: a reply from outside any execute. */
static nb_status_t start(const nb_node_t *node) {
    reply(node, NULL);
    return NB_OK;
}
static void stop(const nb_node_t *node) { (void)node; }
/* Broken: NB_REPLY_ALREADY_SET is not a success. */
static nb_status_t execute(const nb_node_t *node, const nb_run_t *run) {
    reply(node, run);
    return NB_OK;
}
static const char *last_error(const nb_node_t *node) {
    (void)node;
    return "unknown widget";
}
/* Broken: not NULL for an id it does not know (NULL only for the one a host
 * would read as a struct here). */
static const void *node_get_extension(const nb_node_t *node, const char *id) {
    (void)node;
    return strcmp(id, NB_EXT_LISTEN_ADDRESS) == 0 ? NULL : garbage;
}

static bool init(const char *path) { return path != NULL; }
static void deinit(void) {}
static uint32_t node_count(void) { return 1; }
static const nb_node_descriptor_t *node_descriptor(uint32_t i) { return i == 0 ? &descriptor : NULL; }
static const nb_node_t *create_node(const char *type, const char *id, const nb_host_t *host) {
    (void)id;
    if (!type || strcmp(type, descriptor.id) != 0) return NULL;
    bad_node_t *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    const nb_node_t abi = {NB_VERSION_INIT, &descriptor, n, destroy, set_widget, get_widget,
                           start, stop, execute, last_error, node_get_extension};
    n->abi = abi;
    n->host = host;
    return &n->abi;
}
/* Broken: not NULL for an id it does not know. */
static const void *get_extension(const char *id) {
    (void)id;
    return garbage;
}

__attribute__((visibility("default"))) const nb_plugin_entry_t nb_plugin_entry = {NB_VERSION_INIT, init, deinit, node_count,
                                           node_descriptor, create_node, get_extension};
