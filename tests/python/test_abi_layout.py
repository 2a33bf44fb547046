"""python/nbhost/abi.py lays out every struct as the C compiler does: the
size of each and the offset of each field, against abi_layout.c built from
include/nb/."""
import ctypes
import json
import subprocess
import unittest

from nbhost_paths import ABI_LAYOUT
from nbhost import abi


class AbiLayout(unittest.TestCase):
    def test_every_struct_matches_the_headers(self):
        c = json.loads(subprocess.run([ABI_LAYOUT], capture_output=True, text=True,
                                      check=True).stdout)
        self.assertEqual(len(c), 18)
        for name, layout in c.items():
            with self.subTest(struct=name):
                ours = getattr(abi, name)
                self.assertEqual(ctypes.sizeof(ours), layout["size"])
                self.assertEqual([f[0] for f in ours._fields_], list(layout["fields"]))
                self.assertEqual({f[0]: getattr(ours, f[0]).offset for f in ours._fields_},
                                 layout["fields"])


if __name__ == "__main__":
    unittest.main()
