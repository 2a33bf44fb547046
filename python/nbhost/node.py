"""A node instance: the plugin's nb_node_t behind Python methods. Every
[main-thread] call checks that it comes from the thread that loaded the
plugin; execute may come from any thread, one at a time per node."""
import asyncio
import threading
from dataclasses import dataclass

from . import abi, execution
from .errors import ClosedError, NbError, NodeError, WidgetError


@dataclass(frozen=True)
class ListenAddress:
    scheme: str
    address: str
    port: int
    path: str

    @property
    def url(self):
        host = f"[{self.address}]" if ":" in self.address else self.address  # IPv6
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def _value_text(value):
    """A widget value in the text form set_widget takes."""
    if isinstance(value, bool):
        raise TypeError("a widget value is text or an integer, not a bool")
    return str(value)


class Node:
    """Made by Plugin.create_node; owned by its plugin until destroy()."""

    def __init__(self, plugin, host, address, node_id, descriptor):
        self.plugin = plugin
        self.host = host
        self.address = address        # the nb_node_t, for the host's callbacks
        self.id = node_id
        self.descriptor = descriptor
        self.handler = None           # set by start: called with each Run
        self._vt = abi.Node.from_address(address)
        self._output_names = frozenset(s.name for s in descriptor.outputs)
        self._execute_lock = threading.Lock()  # never two executes at once
        self._destroyed = False
        self._started = False

    def __repr__(self):
        return f"<nbhost.Node {self.id!r} ({self.descriptor.id})>"

    @property
    def started(self):
        return self._started

    def _main_thread(self, call):
        if self._destroyed:
            raise ClosedError(f"node {self.id!r}: {call} after destroy")
        self.plugin.check_thread(call)

    def _failure(self, call, status, error=NodeError):
        """The plugin's last_error, read on the thread of the failed call."""
        raw = self._vt.last_error(self.address)
        message = raw.decode(errors="replace") if raw else \
            f"node {self.id!r}: {call} failed without a message ({abi.STATUS_NAMES.get(status)})"
        return error(call, status, message)

    def set_widget(self, name, value):
        """[main-thread] Sets widget `name` from text or an integer; takes
        effect at the next start. Raises WidgetError with the plugin's message."""
        self._main_thread("set_widget")
        status = self._vt.set_widget(self.address, name.encode(), _value_text(value).encode())
        if status != abi.OK:
            raise self._failure("set_widget", status, WidgetError)

    def get_widget(self, name):
        """[main-thread] The widget's value as text, None for an unknown name."""
        self._main_thread("get_widget")
        raw = self._vt.get_widget(self.address, name.encode())
        return raw.decode(errors="replace") if raw is not None else None

    def widgets(self):
        """[main-thread] Every widget of the descriptor with its value."""
        return {w.name: self.get_widget(w.name) for w in self.descriptor.widgets}

    def start(self, handler=None, *, loop=None):
        """[main-thread] "Listen for Events". An event source's runs go to
        `handler` (async or not, called with each Run on the loop; a Reply
        it returns answers a caller that waits) on `loop`, by default the
        running one. Raises NodeError with the plugin's message."""
        self._main_thread("start")
        if self.descriptor.is_event_source:
            try:
                loop = loop or asyncio.get_running_loop()
            except RuntimeError:
                raise NbError(f"node {self.id!r}: start needs the asyncio loop its runs go to: "
                              "call it from a coroutine or pass loop=") from None
            self.host.bridge.bind(loop)
        self.handler = handler
        status = self._vt.start(self.address)
        if status != abi.OK:
            raise self._failure("start", status)
        self._started = True

    def stop(self):
        """[main-thread] Stops listening; returns once no trigger or outcome
        can reach this node. Events it accepted still run on the loop. Blocks:
        the webhook waits up to 1 s for outcomes still owed to callers."""
        self._main_thread("stop")
        self._vt.stop(self.address)
        self._started = False

    def execute(self, inputs=None, *, event=None, run=None):
        """[any thread, one at a time per node] Runs the node once with
        `inputs` ({socket: bytes or str}) and, for an event source, `event`
        (nbhost.Event); returns its outputs {socket: bytes}. A reply it sets
        goes to `run` (an nbhost.Run). Raises NodeError with the plugin's
        message."""
        data = {k: v.encode() if isinstance(v, str) else bytes(v) for k, v in (inputs or {}).items()}
        frame = execution.Frame(data, self._output_names, run)
        run_id = run.run_id if run is not None else execution.next_run_id()
        with self._execute_lock:
            if self._destroyed:
                raise ClosedError(f"node {self.id!r}: execute after destroy")
            status = execution.execute(self._vt.execute, self.address, frame, event, run_id)
            if status != abi.OK:
                raise self._failure("execute", status)
        return frame.outputs

    def listen_addresses(self):
        """[main-thread] Where a started event source listens
        (NB_EXT_LISTEN_ADDRESS); [] when it cannot say."""
        self._main_thread("listen_addresses")
        found = self._extension(abi.EXT_LISTEN_ADDRESS)
        if not found:
            return []
        ext = abi.NodeListenAddress.from_address(found)
        out = []
        for i in range(ext.count(self.address)):
            a = abi.ListenAddress()
            if ext.get(self.address, i, a):
                out.append(ListenAddress(a.scheme.decode(), a.address.decode(), a.port,
                                         a.path.decode()))
        return out

    def _extension(self, ext_id):
        if not abi.version_has(self._vt.abi, 1) or not self._vt.get_extension:
            return None
        return self._vt.get_extension(self.address, ext_id)

    def destroy(self):
        """[main-thread] Stops the node if started and frees it; runs still
        queued for it fail (await Host.drain() first)."""
        if self._destroyed:
            return
        self._main_thread("destroy")
        self.destroy_now()

    def destroy_now(self):
        """destroy() without the thread check: for the plugin's close."""
        with self._execute_lock:  # destroy is never concurrent with execute
            self._destroyed = True
            self._started = False
            self._vt.destroy(self.address)
        self.host.forget(self)
        self.plugin.forget(self)
