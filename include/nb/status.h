#ifndef NB_STATUS_H
#define NB_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Result of a fallible ABI call. On anything but NB_OK the callee leaves a
 * message readable through the instance's last_error until the next call on it. */
typedef enum nb_status {
    NB_OK = 0,
    NB_ERR_INVALID = 1,     /* bad argument or widget value */
    NB_ERR_UNKNOWN = 2,     /* unknown widget, socket or node type */
    NB_ERR_STATE = 3,       /* wrong lifecycle state (e.g. start twice) */
    NB_ERR_IN_USE = 4,      /* a resource (port + path) is taken */
    NB_ERR_IO = 5,          /* the operating system refused (bind, open...) */
    NB_ERR_INTERNAL = 6     /* anything else; a bug */
} nb_status_t;

#ifdef __cplusplus
}
#endif

#endif
