"""The host side of the ABI: the nb_host_t every node gets, with the
extensions NB_EXT_ASYNC_TRIGGER and NB_EXT_RUN_REPLY. Each callback turns
borrowed C data into Python data at once and never lets an exception into
C: one is logged and becomes a refusal (FAILED, REFUSED) or a NULL."""
import ctypes
import logging

from . import abi, execution, threadstate
from .bridge import Bridge, deliver
from .event import copy_event
from .reply import copy_reply

log = logging.getLogger("nbhost")

LOG_LEVELS = {abi.LOG_DEBUG: logging.DEBUG, abi.LOG_INFO: logging.INFO,
              abi.LOG_WARN: logging.WARNING, abi.LOG_ERROR: logging.ERROR}


class Host:
    """Hand it to Plugin.create_node. It must outlive every node made with
    it: each node keeps it referenced, and so do its plugin's nodes until
    the plugin closes. `max_pending` bounds the events accepted whose runs
    have not ended; past it the plugin is told queue full (the webhook:
    503, Retry-After). `offer_async=False` hides NB_EXT_ASYNC_TRIGGER, as a
    1.0 host would: event sources then call trigger."""

    def __init__(self, *, max_pending=1024, offer_async=True):
        self.bridge = Bridge(max_pending)
        self._nodes = {}  # nb_node_t address -> Node, from create to destroy
        # The CFUNCTYPE objects are attributes: they live as long as the
        # Host, so as long as any node may call them.
        self._trigger = abi.HostTrigger(self._on_trigger)
        self._log = abi.HostLog(self._on_log)
        self._get_extension = abi.HostGetExtension(self._on_get_extension)
        self._async = abi.HostAsyncTrigger(0, abi.HostSubmit(self._on_submit),
                                           abi.HostCancelPending(self._on_cancel_pending))
        self._run_reply = abi.HostRunReply(abi.HostSetReply(self._on_set_reply))
        self.struct = abi.Host(abi.our_version(), None, self._trigger, self._log,
                               self._get_extension)
        self.address = ctypes.addressof(self.struct)
        self._extensions = {abi.EXT_RUN_REPLY: ctypes.addressof(self._run_reply)}
        if offer_async:
            self._extensions[abi.EXT_ASYNC_TRIGGER] = ctypes.addressof(self._async)

    async def drain(self):
        """Returns once every event accepted so far has run: after stopping
        the nodes, before destroying them."""
        if self.bridge.loop is not None:
            await self.bridge.drain()

    @property
    def pending(self):
        """Events accepted whose runs have not ended."""
        return self.bridge.pending

    def adopt(self, node):
        self._nodes[node.address] = node

    def forget(self, node):
        self._nodes.pop(node.address, None)

    def _node(self, address, call):
        node = self._nodes.get(address)
        if node is None:
            log.error("%s for a node this host did not create or already destroyed "
                      "(a plugin bug): ignored", call)
        return node

    # The callbacks, [thread-safe] unless said otherwise ----------------------

    def _on_trigger(self, _host, node_address, event_address):
        """Usually a [server-thread]: the 1.0 trigger, answered at once."""
        try:
            threadstate.pin()
            node = self._node(node_address, "trigger")
            if node is None or not event_address:
                return abi.TRIGGER_FAILED
            refusal = self.bridge.offer(node, copy_event(event_address))
            if refusal is None:
                return abi.TRIGGER_ACCEPTED
            return abi.TRIGGER_QUEUE_FULL if refusal.reason == abi.REFUSED_QUEUE_FULL \
                else abi.TRIGGER_FAILED
        except Exception:
            log.exception("trigger failed inside nbhost; the event is refused")
            return abi.TRIGGER_FAILED

    def _on_submit(self, _host, node_address, event_address, flags, sink):
        """Usually a [server-thread]. Without NB_SUBMIT_AWAIT_RUN the outcome
        (ACCEPTED or REFUSED) is delivered before this returns; with it,
        REFUSED now or the run's outcome later, from the loop."""
        if not sink:
            return  # nowhere to tell: nothing is kept
        delivered = False
        try:
            threadstate.pin()
            node = self._node(node_address, "submit")
            if node is None or not event_address:
                delivered = True
                deliver(sink, abi.OUTCOME_REFUSED, refusal=abi.REFUSED_SHUTTING_DOWN,
                        message="nbhost does not know this node")
                return
            awaited = bool(flags & abi.SUBMIT_AWAIT_RUN)
            refusal = self.bridge.offer(node, copy_event(event_address),
                                        sink if awaited else None)
            if refusal is not None:
                delivered = True
                deliver(sink, abi.OUTCOME_REFUSED, refusal=refusal.reason,
                        message=refusal.message)
            elif not awaited:
                delivered = True
                deliver(sink, abi.OUTCOME_ACCEPTED)
        except Exception:
            log.exception("submit failed inside nbhost; the event is refused")
            if not delivered:
                deliver(sink, abi.OUTCOME_REFUSED, refusal=abi.REFUSED_STORE_FAILING,
                        message="nbhost could not take the event")

    def _on_cancel_pending(self, _host, node_address):
        """[main-thread] From the node's stop."""
        try:
            node = self._nodes.get(node_address)
            if node is not None:
                self.bridge.cancel_pending(node)
        except Exception:
            log.exception("cancel_pending failed inside nbhost")

    def _on_set_reply(self, host, run_address, reply_address):
        """[worker-thread] Inside the execute of `run_address` only."""
        try:
            frame = execution.executing_frame(run_address)
            if host != self.address or frame is None or not reply_address:
                return abi.REPLY_INVALID
            if frame.run is None:
                return abi.REPLY_NOT_AWAITED
            return frame.run.set_reply(copy_reply(reply_address))
        except Exception:
            log.exception("set_reply failed inside nbhost; the reply is refused")
            return abi.REPLY_INVALID

    def _on_log(self, _host, node_address, level, message):
        try:
            node = self._nodes.get(node_address) if node_address else None
            text = message.decode(errors="replace") if message else ""
            if node is not None:
                log.log(LOG_LEVELS.get(level, logging.ERROR), "[node %s] %s", node.id, text)
            else:
                log.log(LOG_LEVELS.get(level, logging.ERROR), "%s", text)
        except Exception:
            pass  # logging must never fail into a plugin

    def _on_get_extension(self, _host, ext_id):
        try:
            return self._extensions.get(ext_id)
        except Exception:
            return None
