"""Where the tests find what meson built (tests/python/meson.build sets
these), and the one import of nbhost they all share."""
import os

import nbhost  # noqa: F401  (on PYTHONPATH: python/)

WEBHOOK = os.environ["NBHOST_WEBHOOK_PLUGIN"]
BASIC = os.environ["NBHOST_BASIC_PLUGIN"]
NB_HOST = os.environ["NBHOST_NB_HOST"]
ABI_LAYOUT = os.environ["NBHOST_ABI_LAYOUT"]
SOURCE_ROOT = os.environ["NBHOST_SOURCE_ROOT"]


def fixture(name):
    """A plugin of tests/host/fixtures, built by tests/host/meson.build."""
    return os.path.join(os.environ["NBHOST_FIXTURES"], name + ".so")
