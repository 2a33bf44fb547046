"""The C ABI of include/nb/ as ctypes declarations: the structs, the function
pointer types and the constants, nothing else. Field order and types follow
the headers exactly; a struct that grew in ABI 1.1 lists its 1.1 fields last,
and callers read them only when the struct's own version has them
(version_has), as version.h says."""
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char_p, c_int, c_int64, c_size_t,
                    c_uint16, c_uint32, c_uint64, c_void_p)

# version.h
VERSION_MAJOR = 1
VERSION_MINOR = 1
VERSION_REVISION = 0


class Version(Structure):
    _fields_ = [("major", c_uint32), ("minor", c_uint32), ("revision", c_uint32)]

    def __str__(self):
        return f"{self.major}.{self.minor}.{self.revision}"


def our_version():
    return Version(VERSION_MAJOR, VERSION_MINOR, VERSION_REVISION)


def version_is_compatible(v):
    return v.major == VERSION_MAJOR


def version_has(v, minor):
    return v.major == VERSION_MAJOR and v.minor >= minor


# status.h
OK, ERR_INVALID, ERR_UNKNOWN, ERR_STATE, ERR_IN_USE, ERR_IO, ERR_INTERNAL = range(7)
STATUS_NAMES = {OK: "NB_OK", ERR_INVALID: "NB_ERR_INVALID", ERR_UNKNOWN: "NB_ERR_UNKNOWN",
                ERR_STATE: "NB_ERR_STATE", ERR_IN_USE: "NB_ERR_IN_USE", ERR_IO: "NB_ERR_IO",
                ERR_INTERNAL: "NB_ERR_INTERNAL"}

# descriptor.h
WIDGET_NUMBER, WIDGET_TEXT, WIDGET_CHOICE = range(3)
NODE_EVENT_SOURCE = 1 << 0


class SocketDesc(Structure):
    _fields_ = [("name", c_char_p), ("type", c_char_p), ("description", c_char_p)]


class WidgetDesc(Structure):
    _fields_ = [("name", c_char_p), ("kind", c_int), ("default_value", c_char_p),
                ("min", c_int64), ("max", c_int64), ("description", c_char_p),
                ("choices", POINTER(c_char_p)), ("choice_count", c_uint32)]


class NodeDescriptor(Structure):
    _fields_ = [("abi", Version), ("id", c_char_p), ("title", c_char_p),
                ("description", c_char_p), ("category", c_char_p), ("version", c_char_p),
                ("tags", POINTER(c_char_p)), ("tag_count", c_uint32),
                ("inputs", POINTER(SocketDesc)), ("input_count", c_uint32),
                ("outputs", POINTER(SocketDesc)), ("output_count", c_uint32),
                ("widgets", POINTER(WidgetDesc)), ("widget_count", c_uint32),
                ("flags", c_uint32)]


# Struct pointers in function signatures are c_void_p: a callback then gets a
# plain address, and a call takes one; the structs are read with from_address.

# event.h, delivery.h
EventGetExtension = CFUNCTYPE(c_void_p, c_void_p, c_char_p)


class Event(Structure):
    _fields_ = [("abi", Version), ("method", c_char_p), ("path", c_char_p),
                ("body", c_void_p), ("body_len", c_size_t),
                ("headers_json", c_void_p), ("headers_json_len", c_size_t),
                ("query_json", c_void_p), ("query_json_len", c_size_t),
                ("remote_addr", c_char_p),
                ("get_extension", EventGetExtension)]  # 1.1


EXT_DELIVERY = b"nb.delivery/1"


class EventDelivery(Structure):
    _fields_ = [("id", c_void_p), ("id_len", c_size_t), ("dedupe_window_s", c_uint32)]


# run.h
RunGetInput = CFUNCTYPE(c_bool, c_void_p, c_char_p, POINTER(c_void_p), POINTER(c_size_t))
RunSetOutput = CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p, c_size_t)


class Run(Structure):
    _fields_ = [("abi", Version), ("run_data", c_void_p), ("run_id", c_uint64),
                ("event", c_void_p), ("get_input", RunGetInput), ("set_output", RunSetOutput)]


# host.h
TRIGGER_ACCEPTED, TRIGGER_QUEUE_FULL, TRIGGER_FAILED = range(3)
LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR = range(4)

HostTrigger = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p)
HostLog = CFUNCTYPE(None, c_void_p, c_void_p, c_int, c_char_p)
HostGetExtension = CFUNCTYPE(c_void_p, c_void_p, c_char_p)


class Host(Structure):
    _fields_ = [("abi", Version), ("host_data", c_void_p), ("trigger", HostTrigger),
                ("log", HostLog), ("get_extension", HostGetExtension)]  # 1.1


# node.h
class Node(Structure):
    _fields_ = [("abi", Version), ("descriptor", POINTER(NodeDescriptor)),
                ("node_data", c_void_p),
                ("destroy", CFUNCTYPE(None, c_void_p)),
                ("set_widget", CFUNCTYPE(c_int, c_void_p, c_char_p, c_char_p)),
                ("get_widget", CFUNCTYPE(c_char_p, c_void_p, c_char_p)),
                ("start", CFUNCTYPE(c_int, c_void_p)),
                ("stop", CFUNCTYPE(None, c_void_p)),
                ("execute", CFUNCTYPE(c_int, c_void_p, c_void_p)),
                ("last_error", CFUNCTYPE(c_char_p, c_void_p)),
                ("get_extension", CFUNCTYPE(c_void_p, c_void_p, c_char_p))]  # 1.1


# plugin.h
ENTRY_SYMBOL = "nb_plugin_entry"


class PluginEntry(Structure):
    _fields_ = [("abi", Version),
                ("init", CFUNCTYPE(c_bool, c_char_p)),
                ("deinit", CFUNCTYPE(None)),
                ("node_count", CFUNCTYPE(c_uint32)),
                ("node_descriptor", CFUNCTYPE(POINTER(NodeDescriptor), c_uint32)),
                ("create_node", CFUNCTYPE(c_void_p, c_char_p, c_char_p, c_void_p)),
                ("get_extension", CFUNCTYPE(c_void_p, c_char_p))]  # 1.1


# run_reply.h
EXT_RUN_REPLY = b"nb.run_reply/1"
REPLY_SET, REPLY_NOT_AWAITED, REPLY_ALREADY_SET, REPLY_INVALID = range(4)


class HeaderField(Structure):
    _fields_ = [("name", c_char_p), ("value", c_char_p)]


class Reply(Structure):
    _fields_ = [("abi", Version), ("status", c_uint32), ("content_type", c_char_p),
                ("headers", POINTER(HeaderField)), ("header_count", c_uint32),
                ("body", c_void_p), ("body_len", c_size_t)]


HostSetReply = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p)


class HostRunReply(Structure):
    _fields_ = [("set_reply", HostSetReply)]


# async_trigger.h
EXT_ASYNC_TRIGGER = b"nb.async_trigger/1"
(OUTCOME_ACCEPTED, OUTCOME_REFUSED, OUTCOME_DUPLICATE, OUTCOME_FINISHED, OUTCOME_REPLY,
 OUTCOME_RUN_FAILED, OUTCOME_CANCELLED) = range(7)
(REFUSED_QUEUE_FULL, REFUSED_STORE_FAILING, REFUSED_SHUTTING_DOWN,
 REFUSED_NODE_STOPPING) = range(4)
SUBMIT_AWAIT_RUN = 1 << 0


class Outcome(Structure):
    _fields_ = [("abi", Version), ("kind", c_int), ("refusal", c_int), ("message", c_char_p),
                ("failed_node", c_char_p), ("reply", c_void_p), ("accepted", c_bool)]


SinkDeliver = CFUNCTYPE(None, c_void_p, c_void_p)


class OutcomeSink(Structure):
    _fields_ = [("context", c_void_p), ("deliver", SinkDeliver)]


HostSubmit = CFUNCTYPE(None, c_void_p, c_void_p, c_void_p, c_uint32, c_void_p)
HostCancelPending = CFUNCTYPE(None, c_void_p, c_void_p)


class HostAsyncTrigger(Structure):
    _fields_ = [("flags", c_uint32), ("submit", HostSubmit),
                ("cancel_pending", HostCancelPending)]


# listen_address.h
EXT_LISTEN_ADDRESS = b"nb.listen_address/1"


class ListenAddress(Structure):
    _fields_ = [("scheme", c_char_p), ("address", c_char_p), ("port", c_uint16),
                ("path", c_char_p)]


class NodeListenAddress(Structure):
    _fields_ = [("count", CFUNCTYPE(c_uint32, c_void_p)),
                ("get", CFUNCTYPE(c_bool, c_void_p, c_uint32, POINTER(ListenAddress)))]
