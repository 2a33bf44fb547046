"""From the plugin's server threads to the asyncio loop, as the seed's node
does it: offer() runs on the thread that called trigger or submit, with the
event already copied, and only counts it and hands it to the loop
(call_soon_threadsafe); the run itself (the source's execute, then the
handler) happens on the loop. An awaited event's outcome is delivered from
the loop once its run ended, exactly once, or as CANCELLED by
cancel_pending if the node stops first."""
import asyncio
import ctypes
import inspect
import logging
import threading
from dataclasses import dataclass

from . import abi, execution
from .errors import NodeError
from .reply import Reply, ReplyStruct, utf8
from .run import Run

log = logging.getLogger("nbhost")


@dataclass(frozen=True)
class Refusal:
    """Why offer() did not take an event: an NB_REFUSED_* and a message."""
    reason: int
    message: str


class Waiter:
    """An outcome owed to the plugin: its nb_outcome_sink_t, valid until
    deliver is called on it."""
    __slots__ = ("node", "sink", "delivered")

    def __init__(self, node, sink):
        self.node = node
        self.sink = sink
        self.delivered = False


def deliver(sink, kind, *, refusal=0, message=None, failed_node=None, reply=None,
            accepted=False):
    """Calls the sink's deliver with an nb_outcome_t that lives, with its
    reply, for the call."""
    reply_struct = ReplyStruct(reply) if reply is not None else None
    outcome = abi.Outcome(abi.our_version(), kind, refusal,
                          utf8(message) if message is not None else None,
                          utf8(failed_node) if failed_node is not None else None,
                          reply_struct.address if reply_struct else None, accepted)
    abi.OutcomeSink.from_address(sink).deliver(sink, ctypes.addressof(outcome))


def failure_text(error):
    """A failed run's message: a node's own message names the node already."""
    if isinstance(error, NodeError):
        return str(error)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class Bridge:
    """One per Host. offer() and cancel_pending() are [thread-safe]; the
    rest runs on the loop that bind() was given."""

    def __init__(self, max_pending):
        self.max_pending = max_pending
        self.loop = None
        self._lock = threading.Lock()           # _pending, _waiters
        self._deliver_lock = threading.Lock()   # held across each awaited deliver
        self._pending = 0                       # accepted, run not ended
        self._waiters = {}                      # node address -> {Waiter}
        self._idle = None                       # a drain()'s future
        self._tasks = set()                     # runs in progress (kept referenced)
        # Events offered and not yet taken by the loop, and whether the loop
        # was asked to take them: one wake-up serves every event offered
        # meanwhile, so a busy loop is not woken once per event.
        self._inbox = []
        self._woken = False
        self._warned = set()  # nodes told that nobody waits for their replies

    def bind(self, loop):
        if self.loop is not None and self.loop is not loop:
            raise RuntimeError("a Host serves one asyncio loop: the one of its first start")
        self.loop = loop

    @property
    def pending(self):
        """Events accepted whose runs have not ended."""
        return self._pending

    # [server-thread] -------------------------------------------------------

    def offer(self, node, event, sink=None):
        """Takes `event` of `node` for a run on the loop; with `sink`, the
        run's outcome is delivered there later. None when taken, else the
        Refusal (and nothing is kept)."""
        loop = self.loop
        if loop is None or not loop.is_running():
            return Refusal(abi.REFUSED_SHUTTING_DOWN, "the asyncio loop of nbhost is not running")
        waiter = Waiter(node, sink) if sink is not None else None
        item = (node, event, waiter)
        with self._lock:
            if self._pending >= self.max_pending:
                return Refusal(abi.REFUSED_QUEUE_FULL,
                               f"nbhost holds {self.max_pending} events whose runs have not ended")
            self._pending += 1
            if waiter:
                self._waiters.setdefault(node.address, set()).add(waiter)
            self._inbox.append(item)
            wake = not self._woken
            self._woken = True
        if not wake:
            return None
        try:
            loop.call_soon_threadsafe(self._take_inbox)
        except RuntimeError:  # the loop closed meanwhile: what the inbox holds never runs
            with self._lock:
                self._woken = False
                self._inbox.remove(item)
                self._pending -= 1
                if waiter:
                    self._waiters[node.address].discard(waiter)
            return Refusal(abi.REFUSED_SHUTTING_DOWN, "the asyncio loop of nbhost is not running")
        return None

    # [main-thread] ---------------------------------------------------------

    def cancel_pending(self, node):
        """Delivers CANCELLED for every outcome still owed to `node`; waits for
        a deliver in progress. Their runs go on; their answers are dropped."""
        with self._deliver_lock:
            with self._lock:
                owed = self._waiters.pop(node.address, set())
            for waiter in owed:
                if not waiter.delivered:
                    waiter.delivered = True
                    deliver(waiter.sink, abi.OUTCOME_CANCELLED, accepted=True)

    # the loop --------------------------------------------------------------

    def _take_inbox(self):
        with self._lock:
            batch, self._inbox = self._inbox, []
            self._woken = False
        for node, event, waiter in batch:
            task = self.loop.create_task(self._run(node, event, waiter))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, node, event, waiter):
        run = Run(node, event, execution.next_run_id(), waiter is not None)
        failure = None
        try:
            run.outputs = node.execute(event=event, run=run)
            if node.handler is not None:
                result = node.handler(run)
                if inspect.isawaitable(result):
                    result = await result
                self._take_result(run, result)
        except (asyncio.CancelledError, GeneratorExit):  # the loop ends first
            failure = "the asyncio loop ended before the run did"
            raise
        except Exception as e:  # the run fails alone
            failure = failure_text(e)
            log.error("[node %s] run %d failed: %s", node.id, run.run_id, failure, exc_info=e)
        finally:
            self._end(run, waiter, failure)

    def _take_result(self, run, result):
        if result is None:
            return
        if not isinstance(result, Reply):
            raise TypeError(f"the handler returned {type(result).__name__}; "
                            "it may return an nbhost.Reply or None")
        problem = result.problem()
        if problem:
            raise ValueError(f"the handler's reply cannot be sent: {problem}")
        outcome = run.set_reply(result)
        if outcome == abi.REPLY_ALREADY_SET:
            log.warning("[node %s] run %d: the handler's reply is ignored: a node of the run "
                        "replied first", run.node.id, run.run_id)
        elif outcome == abi.REPLY_NOT_AWAITED and run.node.address not in self._warned:
            self._warned.add(run.node.address)
            log.warning("[node %s] the handler's replies are ignored: nobody waits for them "
                        "(set respond=when_finished on the webhook to answer with them)",
                        run.node.id)

    def _end(self, run, waiter, failure):
        if waiter is not None:
            self._settle(run, waiter, failure)
        with self._lock:
            self._pending -= 1
            idle = self._pending == 0
        if idle and self._idle is not None and not self._idle.done():
            self._idle.set_result(None)

    def _settle(self, run, waiter, failure):
        # The first reply wins, even over a failure later in the run, as in
        # nb-host: the caller asked for that answer.
        with self._deliver_lock:
            if waiter.delivered:
                return
            waiter.delivered = True
            with self._lock:
                self._waiters.get(waiter.node.address, set()).discard(waiter)
            try:
                if run.reply is not None:
                    deliver(waiter.sink, abi.OUTCOME_REPLY, reply=run.reply)
                elif failure is not None:
                    deliver(waiter.sink, abi.OUTCOME_RUN_FAILED, message=failure,
                            failed_node=run.node.id)
                else:
                    deliver(waiter.sink, abi.OUTCOME_FINISHED)
            except Exception as e:  # before the C call: the outcome is still owed
                log.error("[node %s] run %d: its outcome could not be handed over: %s",
                          run.node.id, run.run_id, failure_text(e), exc_info=e)
                deliver(waiter.sink, abi.OUTCOME_RUN_FAILED, failed_node=run.node.id,
                        message="nbhost could not hand the run's outcome over")

    def abandon(self):
        """[main-thread] At exit, once the loop no longer runs, before the
        plugin closes: ends the runs left now, while their callers can still
        be told (500), rather than when the collector finds them. Returns how
        many accepted events never ended their run. Their tasks are dropped
        knowingly, with asyncio's own flag for that."""
        if self.loop is None or self.loop.is_running():
            return 0
        never = self._pending
        for task in list(self._tasks):
            task._log_destroy_pending = False
            task.get_coro().close()
        return never

    async def drain(self):
        """Returns once every event accepted so far has run (and no other
        is pending at that moment)."""
        while self._pending:
            self._idle = self.loop.create_future()
            if self._pending:
                await self._idle
