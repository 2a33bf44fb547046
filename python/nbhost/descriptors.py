"""Node descriptors as Python objects, copied out of the plugin's static
descriptor (valid only until its deinit) so that they outlive it.
to_manifest() gives the form of manifests/nodes/ID.json and `nb-host
describe` (common/descriptor_json.cpp)."""
from dataclasses import dataclass, field

from . import abi

WIDGET_KINDS = {abi.WIDGET_NUMBER: "number", abi.WIDGET_TEXT: "text", abi.WIDGET_CHOICE: "choice"}


def text(raw):
    """A descriptor string; NULL reads as "", as nb-host shows it."""
    return raw.decode("utf-8", errors="replace") if raw else ""


@dataclass(frozen=True)
class Socket:
    name: str
    type: str
    description: str

    def to_manifest(self):
        return {"name": self.name, "type": self.type, "description": self.description}


@dataclass(frozen=True)
class Widget:
    name: str
    kind: str                 # "number", "text" or "choice"
    default: str              # as text, the form set_widget takes
    description: str
    min: int | None = None    # number only, inclusive
    max: int | None = None
    choices: tuple[str, ...] = ()  # choice only

    def to_manifest(self):
        out = {"name": self.name, "kind": self.kind, "default": self.default}
        if self.kind == "number":
            out.update(min=self.min, max=self.max)
        if self.kind == "choice":
            out["choices"] = list(self.choices)
        out["description"] = self.description
        return out


@dataclass(frozen=True)
class Descriptor:
    id: str
    title: str
    description: str
    category: str
    version: str
    tags: tuple[str, ...]
    flags: tuple[str, ...]    # "event_source"
    inputs: tuple[Socket, ...]
    outputs: tuple[Socket, ...]
    widgets: tuple[Widget, ...] = field(default=())

    @property
    def is_event_source(self):
        return "event_source" in self.flags

    def widget(self, name):
        return next((w for w in self.widgets if w.name == name), None)

    def to_manifest(self):
        return {"id": self.id, "title": self.title, "description": self.description,
                "category": self.category, "version": self.version, "tags": list(self.tags),
                "flags": list(self.flags),
                "inputs": [s.to_manifest() for s in self.inputs],
                "outputs": [s.to_manifest() for s in self.outputs],
                "widgets": [w.to_manifest() for w in self.widgets]}


def _sockets(array, count):
    return tuple(Socket(text(array[i].name), text(array[i].type), text(array[i].description))
                 for i in range(count))


def _widget(w):
    kind = WIDGET_KINDS.get(w.kind, "unknown")
    number = kind == "number"
    return Widget(text(w.name), kind, text(w.default_value), text(w.description),
                  w.min if number else None, w.max if number else None,
                  tuple(text(w.choices[i]) for i in range(w.choice_count))
                  if kind == "choice" else ())


def copy_descriptor(d):
    """A Descriptor from an nb_node_descriptor_t (abi.NodeDescriptor)."""
    return Descriptor(
        text(d.id), text(d.title), text(d.description), text(d.category), text(d.version),
        tuple(text(d.tags[i]) for i in range(d.tag_count)),
        ("event_source",) if d.flags & abi.NODE_EVENT_SOURCE else (),
        _sockets(d.inputs, d.input_count), _sockets(d.outputs, d.output_count),
        tuple(_widget(d.widgets[i]) for i in range(d.widget_count)))
