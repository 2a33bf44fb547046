/* example.upper_c: a complete nb plugin in C11, to copy. Its one node
 * upper-cases the input `text` (ASCII letters only, so UTF-8 stays valid),
 * puts the widget `prefix` before it, and writes the result to the output
 * `text`. Everything it needs is <nb/plugin.h>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nb/plugin.h>

#define PREFIX_MAX 64

static const char *const tags[] = {"example", "text"};
static const nb_socket_desc_t inputs[] = {{"text", NB_SOCKET_TEXT, "The text to upper-case"}};
static const nb_socket_desc_t outputs[] = {
    {"text", NB_SOCKET_TEXT, "The prefix, then the input with a-z upper-cased"}};
static const nb_widget_desc_t widgets[] = {
    {"prefix", NB_WIDGET_TEXT, "> ", 0, 0, "Put before the upper-cased text; at most 64 bytes",
     NULL, 0}};

/* Owned by the plugin and constant: valid from init to deinit, as the ABI asks. */
static const nb_node_descriptor_t upper_descriptor = {
    NB_VERSION_INIT, "example.upper_c", "Upper Case (C)",
    "Writes the prefix, then its input with the ASCII letters a-z upper-cased; other bytes, "
    "and so UTF-8, pass unchanged.",
    "Example", "1.0.0", tags, 2, inputs, 1, outputs, 1, widgets, 1, 0};

/* One instance. The host sees only `abi`; node_data points back here. */
typedef struct upper_node {
    nb_node_t abi;
    char prefix[PREFIX_MAX + 1];
    char error[256]; /* last_error: valid until the next call on this instance */
} upper_node_t;

static upper_node_t *self_of(const nb_node_t *node) { return (upper_node_t *)node->node_data; }

/* Records `message` for last_error and returns `status`. */
static nb_status_t fail(upper_node_t *self, nb_status_t status, const char *message) {
    snprintf(self->error, sizeof self->error, "%s", message);
    return status;
}

/* [main-thread] */
static void destroy(const nb_node_t *node) { free(self_of(node)); }

/* [main-thread] `name` and `value` are borrowed for the call: the value is copied. */
static nb_status_t set_widget(const nb_node_t *node, const char *name, const char *value) {
    upper_node_t *self = self_of(node);
    self->error[0] = '\0';
    if (strcmp(name, "prefix") != 0) {
        snprintf(self->error, sizeof self->error, "unknown widget \"%s\"", name);
        return NB_ERR_UNKNOWN;
    }
    const size_t len = strlen(value);
    if (len > PREFIX_MAX) {
        snprintf(self->error, sizeof self->error,
                 "prefix must be at most %d bytes (got %zu)", PREFIX_MAX, len);
        return NB_ERR_INVALID;
    }
    memcpy(self->prefix, value, len + 1);
    return NB_OK;
}

/* [main-thread] Owned by the instance, valid until the next set_widget or destroy. */
static const char *get_widget(const nb_node_t *node, const char *name) {
    return strcmp(name, "prefix") == 0 ? self_of(node)->prefix : NULL;
}

/* [main-thread] Only event sources listen: for this node, nothing to do. */
static nb_status_t start(const nb_node_t *node) {
    (void)node;
    return NB_OK;
}

/* [main-thread] */
static void stop(const nb_node_t *node) { (void)node; }

/* [worker-thread] Calls on one instance never overlap (node.h: only an event
 * source's execute may overlap its start..stop), so no lock. The input is the
 * host's until execute returns; set_output copies `out`, so it is freed here. */
static nb_status_t execute(const nb_node_t *node, const nb_run_t *run) {
    upper_node_t *self = self_of(node);
    self->error[0] = '\0';
    const char *text = NULL;
    size_t len = 0;
    if (!run->get_input(run, "text", &text, &len)) {
        return fail(self, NB_ERR_INVALID, "input \"text\" received no value");
    }
    const size_t prefix_len = strlen(self->prefix);
    char *out = malloc(prefix_len + len + 1);
    if (!out) return fail(self, NB_ERR_INTERNAL, "out of memory");
    memcpy(out, self->prefix, prefix_len);
    for (size_t i = 0; i < len; ++i) {
        const char c = text[i];
        out[prefix_len + i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    const nb_status_t status = run->set_output(run, "text", out, prefix_len + len);
    free(out);
    return status == NB_OK ? NB_OK : fail(self, status, "could not write output \"text\"");
}

/* [the thread of the failed call] */
static const char *last_error(const nb_node_t *node) { return self_of(node)->error; }

/* [main-thread] Nothing shared to set up: every instance holds its own state. */
static bool init(const char *plugin_path) {
    (void)plugin_path;
    return true;
}

/* [main-thread] */
static void deinit(void) {}

/* [main-thread] */
static uint32_t node_count(void) { return 1; }

/* [main-thread] */
static const nb_node_descriptor_t *node_descriptor(uint32_t index) {
    return index == 0 ? &upper_descriptor : NULL;
}

/* [main-thread] `node_id` and `host` are not kept: this node neither logs nor
 * triggers. The instance is the plugin's until its destroy. */
static const nb_node_t *create_node(const char *node_type, const char *node_id,
                                    const nb_host_t *host) {
    (void)node_id;
    (void)host;
    if (strcmp(node_type, upper_descriptor.id) != 0) return NULL;
    upper_node_t *self = calloc(1, sizeof *self);
    if (!self) return NULL;
    self->abi = (nb_node_t){.abi = NB_VERSION_INIT,
                            .descriptor = &upper_descriptor,
                            .node_data = self,
                            .destroy = destroy,
                            .set_widget = set_widget,
                            .get_widget = get_widget,
                            .start = start,
                            .stop = stop,
                            .execute = execute,
                            .last_error = last_error};
    strcpy(self->prefix, widgets[0].default_value);
    return &self->abi;
}

/* <nb/plugin.h> declares it exported: with -fvisibility=hidden this is the
 * library's one exported symbol. get_extension is left NULL: no extensions. */
const nb_plugin_entry_t nb_plugin_entry = {.abi = NB_VERSION_INIT,
                                           .init = init,
                                           .deinit = deinit,
                                           .node_count = node_count,
                                           .node_descriptor = node_descriptor,
                                           .create_node = create_node};
