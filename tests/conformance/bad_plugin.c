/* A plugin written in C that loads but breaks the contract on purpose:
 * nb-conformance must name each broken rule. */
#include <nb/plugin.h>

#include <stddef.h>

static const nb_widget_desc_t widgets[] = {
    {"level", NB_WIDGET_NUMBER, "99", 1, 10, "default outside its own range", NULL, 0},
    {"level", NB_WIDGET_TEXT, "", 0, 0, "the same name twice", NULL, 0},
};

static const nb_socket_desc_t outputs[] = {{"out", "BLOB", "an unknown socket type"}};

static const nb_node_descriptor_t descriptor = {
    NB_VERSION_INIT, "BadId", "", "bad on purpose", "Test", "1.0",
    NULL, 0, NULL, 0, outputs, 1, widgets, 2, 1u << 7};

static bool init(const char *path) { return path != NULL; }
static void deinit(void) {}
static uint32_t node_count(void) { return 1; }
static const nb_node_descriptor_t *node_descriptor(uint32_t i) { return i == 0 ? &descriptor : NULL; }
static const nb_node_t *create_node(const char *type, const char *id, const nb_host_t *host) {
    (void)type; (void)id; (void)host;
    return NULL;
}

/* Exported beside the entry, which a plugin must not do. */
int nb_bad_plugin_extra_symbol;

const nb_plugin_entry_t nb_plugin_entry = {NB_VERSION_INIT, init, deinit, node_count,
                                           node_descriptor, create_node, NULL};
