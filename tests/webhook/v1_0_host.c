/* Built against ABI 1.0's layout: its nb_host_t ends where 1.0's did. */
#define NB_VERSION_MINOR 0u
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */

#include "v1_0_host.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <nb/host.h>

static atomic_size_t triggers;
static char last_body[256];

/* [thread-safe] Accepts every event. The test reads last_body only after its
 * request was answered, which orders the write before the read. */
static nb_trigger_result_t trigger(const nb_host_t *host, const nb_node_t *node,
                                   const nb_event_t *event) {
    size_t n = event->body_len < sizeof last_body - 1 ? event->body_len : sizeof last_body - 1;
    (void)host;
    (void)node;
    memcpy(last_body, event->body, n);
    last_body[n] = '\0';
    atomic_fetch_add(&triggers, 1);
    return NB_TRIGGER_ACCEPTED;
}

/* [thread-safe] */
static void log_line(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                     const char *message) {
    (void)host;
    (void)node;
    (void)level;
    (void)message;
}

const void *v1_0_host_make(void) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    nb_host_t *host;
    if (pages == MAP_FAILED) return NULL;
    if (mprotect(pages + page, page, PROT_NONE) != 0) {
        munmap(pages, 2 * page);
        return NULL;
    }
    host = (nb_host_t *)(pages + page - sizeof(nb_host_t));
    host->abi.major = NB_VERSION_MAJOR;
    host->abi.minor = 0;
    host->abi.revision = 0;
    host->host_data = NULL;
    host->trigger = trigger;
    host->log = log_line;
    return host;
}

void v1_0_host_free(const void *host) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (host) munmap((char *)host + sizeof(nb_host_t) - page, 2 * page);
}

size_t v1_0_host_triggers(void) { return atomic_load(&triggers); }

const char *v1_0_host_last_body(void) { return last_body; }
