"""nbhost: drive an nb plugin (include/nb/) from Python's asyncio, with the
standard library only. docs/python-host.md is the reference."""
from .descriptors import Descriptor, Socket, Widget
from .errors import ClosedError, NbError, NodeError, PluginError, ThreadError, WidgetError
from .event import Event
from .host import Host
from .node import ListenAddress, Node
from .plugin import Plugin
from .reply import Reply
from .run import Run

__all__ = ["ClosedError", "Descriptor", "Event", "Host", "ListenAddress", "NbError", "Node",
           "NodeError", "Plugin", "PluginError", "Reply", "Run", "Socket", "ThreadError",
           "Widget", "WidgetError"]
