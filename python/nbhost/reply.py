"""The answer a run gives the caller that waits for it (the webhook's
respond=when_finished): a Reply a handler returns, or one a node of the run
set through NB_EXT_RUN_REPLY, copied out of its borrowed nb_reply_t; and the
nb_reply_t handed to the plugin, kept alive by its ReplyStruct."""
import ctypes
from dataclasses import dataclass, field

from . import abi
from .event import address_of


@dataclass(frozen=True)
class Reply:
    status: int = 200                     # 200-599
    body: bytes | str = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)  # never Content-Length & co.

    def problem(self):
        """Why the ABI cannot carry this reply, or None. (The plugin checks
        what it carries again: a header it cannot send is answered 500.)"""
        if not isinstance(self.status, int) or not 200 <= self.status <= 599:
            return f"status {self.status!r} is not in 200-599"
        if not isinstance(self.body, (bytes, str)):
            return f"body is {type(self.body).__name__}, not bytes or str"
        if not isinstance(self.content_type, str):
            return f"content_type is {type(self.content_type).__name__}, not str"
        if not isinstance(self.headers, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()):
            return "headers is not a dict of str to str"
        return None


def copy_reply(address):
    """A Reply from the nb_reply_t at `address` (borrowed for the call)."""
    r = abi.Reply.from_address(address)
    headers = {r.headers[i].name.decode(errors="replace"): r.headers[i].value.decode(errors="replace")
               for i in range(r.header_count) if r.headers[i].name and r.headers[i].value}
    return Reply(r.status, ctypes.string_at(r.body, r.body_len) if r.body and r.body_len else b"",
                 r.content_type.decode(errors="replace") if r.content_type else "application/json",
                 headers)


def utf8(text):
    """UTF-8 for C; a lone surrogate becomes U+FFFD rather than an error."""
    return text.encode("utf-8", errors="replace")


class ReplyStruct:
    """An nb_reply_t for `reply` (whose problem() is None) and its buffers,
    valid as long as this object."""

    def __init__(self, reply):
        body = utf8(reply.body) if isinstance(reply.body, str) else reply.body
        self._body = body
        fields = [(utf8(k), utf8(v)) for k, v in reply.headers.items()]
        self._headers = (abi.HeaderField * len(fields))(*fields) if fields else None
        self.struct = abi.Reply(abi.our_version(), reply.status, utf8(reply.content_type),
                                self._headers, len(fields), address_of(body) if body else None,
                                len(body))
        self.address = ctypes.addressof(self.struct)
