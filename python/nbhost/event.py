"""An event as Python data: copied out of the plugin's nb_event_t (borrowed
for the trigger or submit call only) on the thread that offers it, and turned
back into an nb_event_t, kept alive by its EventStruct, for the execute that
reads it."""
import ctypes
import json
from dataclasses import dataclass
from functools import cached_property

from . import abi


@dataclass(frozen=True)
class Event:
    method: str = "POST"
    path: str = "/"
    body: bytes = b""
    headers_json: str = "{}"      # JSON object: lower-cased name -> value
    query_json: str = "{}"        # JSON object: parameter -> value
    remote_addr: str = ""
    delivery_id: bytes | None = None  # the sender's delivery id (NB_EXT_DELIVERY)
    dedupe_window_s: int = 0

    @cached_property
    def headers(self):
        return json.loads(self.headers_json)

    @cached_property
    def query(self):
        return json.loads(self.query_json)


def _text(raw):
    return raw.decode("utf-8", errors="replace") if raw else ""


def _span(address, length):
    return ctypes.string_at(address, length) if address and length else b""


def copy_event(address):
    """[any thread] An Event from the nb_event_t at `address`, which the
    caller guarantees valid for this call. Reads the 1.1 delivery only when
    the event's version has get_extension."""
    e = abi.Event.from_address(address)
    delivery_id, window = None, 0
    if abi.version_has(e.abi, 1) and e.get_extension:
        found = e.get_extension(address, abi.EXT_DELIVERY)
        if found:
            d = abi.EventDelivery.from_address(found)
            delivery_id = _span(d.id, d.id_len) if d.id else None
            window = d.dedupe_window_s
    return Event(_text(e.method), _text(e.path), _span(e.body, e.body_len),
                 _text(_span(e.headers_json, e.headers_json_len)),
                 _text(_span(e.query_json, e.query_json_len)), _text(e.remote_addr),
                 delivery_id, window)


def address_of(data):
    """Address of the bytes object's own buffer: valid while `data` lives."""
    return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value


# Delivery of each nb_event_t an EventStruct built, by the event's address,
# for get_extension; an entry lives exactly as long as its EventStruct.
_deliveries = {}


@abi.EventGetExtension
def _get_extension(event, ext_id):
    try:
        if ext_id != abi.EXT_DELIVERY:
            return None
        delivery = _deliveries.get(event)
        return ctypes.addressof(delivery) if delivery is not None else None
    except Exception:  # never into C
        return None


class EventStruct:
    """An nb_event_t for `event`, with every buffer it points to, valid
    until close(). A context manager."""

    def __init__(self, event):
        self._parts = [s.encode() for s in (event.headers_json, event.query_json)]
        headers, query = self._parts
        self._body = event.body
        self.struct = abi.Event(
            abi.our_version(), event.method.encode(), event.path.encode(),
            address_of(event.body), len(event.body), address_of(headers), len(headers),
            address_of(query), len(query), event.remote_addr.encode(), _get_extension)
        self.address = ctypes.addressof(self.struct)
        if event.delivery_id is not None or event.dedupe_window_s:
            self._id = event.delivery_id
            _deliveries[self.address] = abi.EventDelivery(
                address_of(self._id) if self._id is not None else None,
                len(self._id or b""), event.dedupe_window_s)

    def close(self):
        _deliveries.pop(self.address, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
