"""One execute call: the nb_run_t a node reads its inputs from and writes its
outputs to. The handle and every buffer get_input hands out live until
execute returns (run.h); the callbacks are module-level, so they outlive
every plugin."""
import ctypes
import itertools

from . import abi
from .event import EventStruct, address_of

_run_ids = itertools.count(1)


def next_run_id():
    """[thread-safe] Unique per process, for logs (next() on count is atomic
    under the GIL)."""
    return next(_run_ids)


class Frame:
    """What one executing nb_run_t reads and writes. `run` is the Python Run
    it belongs to (set_reply goes there), or None."""

    def __init__(self, inputs, output_names, run):
        self.inputs = {name: (data, address_of(data)) for name, data in inputs.items()}
        self.output_names = output_names
        self.outputs = {}
        self.run = run


# The frame of each nb_run_t executing now, by its address: [worker-thread]
# callbacks and set_reply find theirs here. Entries are added and removed
# around the execute call only.
_executing = {}


def executing_frame(run_address):
    """[thread-safe] The Frame of the nb_run_t at `run_address` while its
    execute runs, else None."""
    return _executing.get(run_address)


@abi.RunGetInput
def _get_input(run, socket, data, length):
    try:
        frame = _executing.get(run)
        if frame is None or socket is None or not data or not length:
            return False
        found = frame.inputs.get(socket.decode(errors="replace"))
        if found is None:
            return False
        data[0], length[0] = found[1], len(found[0])
        return True
    except Exception:  # never into C
        return False


@abi.RunSetOutput
def _set_output(run, socket, data, length):
    try:
        frame = _executing.get(run)
        if frame is None or socket is None or (not data and length > 0):
            return abi.ERR_INVALID
        name = socket.decode(errors="replace")
        if name not in frame.output_names:
            return abi.ERR_UNKNOWN
        frame.outputs[name] = ctypes.string_at(data, length) if length else b""
        return abi.OK
    except Exception:  # never into C
        return abi.ERR_INTERNAL


def execute(execute_fn, node_address, frame, event, run_id):
    """Calls the node's execute with an nb_run_t over `frame` (and `event`,
    an Event or None); returns the status. Frame.outputs holds what it wrote."""
    event_struct = EventStruct(event) if event is not None else None
    handle = abi.Run(abi.our_version(), None, run_id,
                     event_struct.address if event_struct else None, _get_input, _set_output)
    key = ctypes.addressof(handle)
    _executing[key] = frame
    try:
        return execute_fn(node_address, key)
    finally:
        del _executing[key]
        if event_struct:
            event_struct.close()
