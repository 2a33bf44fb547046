"""What nbhost raises. A call the plugin refuses raises NodeError carrying the
plugin's own message (its last_error) and status; nbhost's own refusals
(a wrong thread, a closed plugin) raise the other classes."""
from . import abi


class NbError(Exception):
    """Every error nbhost raises."""


class PluginError(NbError):
    """A library that cannot be used as an nb plugin: `path` and why."""

    def __init__(self, path, why):
        super().__init__(f"{path}: {why}")
        self.path = path
        self.why = why


class NodeError(NbError):
    """A node call that the plugin refused. str() is the plugin's message
    exactly; `status` the nb_status_t, `call` the ABI function."""

    def __init__(self, call, status, message):
        super().__init__(message)
        self.call = call
        self.status = status
        self.message = message

    @property
    def status_name(self):
        return abi.STATUS_NAMES.get(self.status, f"status {self.status}")


class WidgetError(NodeError):
    """set_widget refused a name or value (NB_ERR_UNKNOWN, NB_ERR_INVALID)."""


class ThreadError(NbError):
    """A [main-thread] call from another thread than the one that loaded the
    plugin: the ABI allows it only there."""


class ClosedError(NbError):
    """A call on a plugin after close(), or on a node after destroy()."""
