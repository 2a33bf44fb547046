#ifndef NB_THREADS_H
#define NB_THREADS_H

/* Thread tags. Every function pointer of the ABI carries one of these in the
 * comment beside it; they are the whole threading contract.
 *
 * [main-thread]   The host's main thread (the one that called init), never
 *                 concurrently with another [main-thread] call on the same plugin.
 * [server-thread] A thread owned by the plugin that serves the network
 *                 (an HTTP handler thread). Many may run at once.
 * [worker-thread] A thread owned by the host that executes runs. Many may run
 *                 at once, but never two on the same node instance.
 * [thread-safe]   Any thread, concurrently with anything.
 *
 * The macros expand to nothing; they exist so that tags can be grepped for and
 * so that a tag in a declaration is checked to be one of the known ones. */
#define NB_MAIN_THREAD
#define NB_SERVER_THREAD
#define NB_WORKER_THREAD
#define NB_THREAD_SAFE

#endif
