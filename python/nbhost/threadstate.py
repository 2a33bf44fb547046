"""A thread of the plugin's (a server thread) that calls into Python gets a
Python thread state for that call only: ctypes makes one and drops it
again, and CPython 3.11 maps and unmaps a frame stack for each, which costs
a TLB shootdown on every core per call. pin() keeps the calling thread's
state for the thread's life instead, so each later call only takes the GIL.
The cost: one thread state (a few KiB) per plugin thread that ever called
in, freed when the interpreter finalizes."""
import ctypes
import threading

_pinned = threading.local()
_ensure = ctypes.pythonapi.PyGILState_Ensure
_ensure.restype = ctypes.c_int
_ensure.argtypes = []


def pin():
    """[any thread, holding the GIL] Keeps this thread's Python state after
    the callback returns: one PyGILState_Ensure that is never released."""
    if not getattr(_pinned, "done", False):
        _ensure()
        _pinned.done = True
