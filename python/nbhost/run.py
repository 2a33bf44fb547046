"""A run as its handler sees it: the event that started it, the outputs the
event source's execute made of it, and the reply the caller gets when it
waits for the run (respond=when_finished)."""
import asyncio
import threading

from . import abi


class Run:
    """Made by the bridge on the loop for each accepted event. The handler
    reads it on the loop; nodes it executes (Run.execute) may set its reply
    from a worker thread, hence the lock."""

    def __init__(self, node, event, run_id, awaited):
        self.node = node          # the event source that started the run
        self.event = event        # nbhost.Event, the plugin's event copied
        self.run_id = run_id      # unique in this process, for logs
        self.awaited = awaited    # the caller waits for this run's reply
        self.outputs = {}         # the source's outputs by socket name: bytes
        self._reply = None
        self._lock = threading.Lock()

    def text(self, socket):
        """Output `socket` decoded as UTF-8 (the webhook's are valid UTF-8)."""
        return self.outputs[socket].decode()

    @property
    def reply(self):
        return self._reply

    def set_reply(self, reply):
        """[thread-safe] Offers `reply` (an nbhost.Reply) as the run's answer:
        abi.REPLY_SET, or REPLY_INVALID, REPLY_NOT_AWAITED (nobody waits, it is
        ignored) or REPLY_ALREADY_SET (the first reply wins), as set_reply of
        NB_EXT_RUN_REPLY answers a node."""
        if reply.problem():
            return abi.REPLY_INVALID
        if not self.awaited:
            return abi.REPLY_NOT_AWAITED
        with self._lock:
            if self._reply is not None:
                return abi.REPLY_ALREADY_SET
            self._reply = reply
            return abi.REPLY_SET

    async def execute(self, node, inputs=None):
        """Executes another node (e.g. an events.webhook_reply) as part of
        this run, on a worker thread so that the loop never waits on it:
        a reply it sets is this run's. Returns its outputs; raises
        NodeError when it fails."""
        return await asyncio.to_thread(node.execute, inputs, run=self)
