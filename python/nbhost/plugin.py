"""Loading a plugin: the library, its nb_plugin_entry, init and deinit, the
node descriptors and the nodes made from them.

Lifetimes: the library is never unloaded (ctypes cannot, and a thread of
the plugin could still be returning through it); deinit comes after every
node of the plugin is destroyed. Every open plugin stays referenced by
_open until close(), and an atexit hook closes the ones left open, so the
interpreter never finalizes while a plugin thread may still call into it."""
import atexit
import ctypes
import logging
import os
import threading

from . import abi
from .descriptors import copy_descriptor
from .errors import ClosedError, PluginError, ThreadError
from .node import Node

log = logging.getLogger("nbhost")

# Plugins loaded and not closed yet, for the atexit hook: the one place that
# can stop their nodes before the interpreter goes away.
_open = []


class Plugin:
    """An initialised plugin. Use Plugin.load(path); a context manager."""

    def __init__(self, path, library, entry):
        self.path = path
        self._library = library
        self._entry = entry
        self._thread = threading.get_ident()
        self._nodes = []
        self._closed = False
        self.abi = str(entry.abi)
        self.descriptors = []
        self.skipped = []  # "descriptor N: why", for descriptors not offered
        for i in range(entry.node_count()):
            d = entry.node_descriptor(i)
            if not d:
                self.skipped.append(f"descriptor {i}: node_descriptor({i}) returned NULL")
            elif not d.contents.id:
                self.skipped.append(f"descriptor {i}: no id")
            elif not abi.version_is_compatible(d.contents.abi):
                self.skipped.append(f'node type "{d.contents.id.decode()}": '
                                    f"{incompatible(d.contents.abi)}")
            else:
                self.descriptors.append(copy_descriptor(d.contents))

    @classmethod
    def load(cls, path):
        """[main-thread: the calling thread becomes the plugin's main thread]
        Loads the library, checks its ABI version and calls init. Raises
        PluginError saying why a library is not usable."""
        path = os.fspath(path)
        try:
            library = ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
        except OSError as e:
            raise PluginError(path, f"not a loadable shared library: {e}") from None
        try:
            entry = abi.PluginEntry.in_dll(library, abi.ENTRY_SYMBOL)
        except ValueError:
            raise PluginError(path, f"no {abi.ENTRY_SYMBOL} symbol") from None
        if not abi.version_is_compatible(entry.abi):
            raise PluginError(path, incompatible(entry.abi))
        if not all((entry.init, entry.deinit, entry.node_count, entry.node_descriptor,
                    entry.create_node)):
            raise PluginError(path, f"{abi.ENTRY_SYMBOL} has a NULL function")
        if not entry.init(os.fsencode(path)):
            raise PluginError(path, "init returned false")
        plugin = cls(path, library, entry)
        _open.append(plugin)
        return plugin

    def __repr__(self):
        return f"<nbhost.Plugin {self.path!r} ABI {self.abi}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def check_thread(self, call):
        """Raises unless called [main-thread] on an open plugin."""
        if self._closed:
            raise ClosedError(f"{self.path}: {call} after close")
        if threading.get_ident() != self._thread:
            raise ThreadError(f"{call} is [main-thread]: call it from the thread that "
                              "loaded the plugin")

    def descriptor(self, node_type):
        return next((d for d in self.descriptors if d.id == node_type), None)

    def create_node(self, node_type, node_id, host):
        """[main-thread] A new node of `node_type` named `node_id` (in the
        plugin's messages), calling back into `host`."""
        self.check_thread("create_node")
        descriptor = self.descriptor(node_type)
        if descriptor is None:
            raise PluginError(self.path, f"no node type {node_type!r}")
        address = self._entry.create_node(node_type.encode(), node_id.encode(), host.address)
        if not address:
            raise PluginError(self.path, f"create_node({node_type!r}) returned NULL")
        node = Node(self, host, address, node_id, descriptor)
        host.adopt(node)
        self._nodes.append(node)
        return node

    @property
    def nodes(self):
        """The nodes made and not destroyed yet."""
        return list(self._nodes)

    def forget(self, node):
        self._nodes.remove(node)

    def close(self):
        """[main-thread] Stops and destroys every node left, then deinit."""
        if self._closed:
            return
        self.check_thread("close")
        self.close_now()

    def close_now(self):
        """close() from any thread: for the atexit hook."""
        self._closed = True
        for node in list(self._nodes):
            node.destroy_now()
        self._entry.deinit()
        _open.remove(self)


def incompatible(v):
    return f"incompatible ABI {v} (host speaks {abi.VERSION_MAJOR}.x)"


@atexit.register
def _close_open_plugins():
    for plugin in reversed(list(_open)):
        for bridge in {id(n.host.bridge): n.host.bridge for n in plugin.nodes}.values():
            never = bridge.abandon()
            if never:
                log.warning("%d accepted events never ran: the asyncio loop ended first", never)
        plugin.close_now()
