#ifndef NB_TEST_V1_0_HOST_H
#define NB_TEST_V1_0_HOST_H

/* A host built against ABI 1.0's layout (v1_0_host.c), for the plugin's
 * side of "a 1.1 plugin in a 1.0 host". */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* [main-thread] A 1.0 nb_host_t whose last byte is the last one before a
 * PROT_NONE page, so that a plugin reading a field 1.0 lacks (get_extension)
 * faults. Its trigger accepts every event and counts it. NULL when mmap
 * fails. Free with v1_0_host_free. */
const void *v1_0_host_make(void);
void v1_0_host_free(const void *host);

/* [thread-safe] Events its trigger accepted; the last body, NUL-terminated,
 * truncated to 255 bytes. */
size_t v1_0_host_triggers(void);
const char *v1_0_host_last_body(void);

#ifdef __cplusplus
}
#endif

#endif
