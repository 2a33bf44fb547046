"""`meson install` lays nb-webhook out like a library, and a plugin builds
against the installed files alone.

Usage: test_install.py MESON BUILD_DIR SOURCE_DIR PREFIX BINDIR INCLUDEDIR LIBDIR DATADIR
(absolute install paths, as meson resolved them). Installs BUILD_DIR into a
temporary DESTDIR, then builds the templates of examples/ with the compile lines
of docs/plugin-authoring.md, and as meson projects using dependency('nb-plugin'),
with pkg-config pointed into the DESTDIR only, and loads them with the
installed nb-host.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

MESON, BUILD, SOURCE, PREFIX, BINDIR, INCLUDEDIR, LIBDIR, DATADIR = sys.argv[1:9]
del sys.argv[1:9]

TEMPLATES = {
    "c": ("upper.c", "example.upper_c", "Upper Case (C)"),
    "cpp": ("upper.cpp", "example.upper_cpp", "Upper Case (C++)"),
}


def run(args, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def documented_line(start):
    """The one shell line of docs/plugin-authoring.md that starts with `start`."""
    with open(os.path.join(SOURCE, "docs", "plugin-authoring.md"), encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    lines = [re.sub(r"\s+", " ", line.strip()) for line in text.splitlines() if line.startswith(start)]
    if len(lines) != 1:
        raise AssertionError(f"docs/plugin-authoring.md has {len(lines)} lines starting {start!r}")
    return lines[0]


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="nb-install-")
        cls.destdir = os.path.join(cls.scratch, "destdir")
        run([MESON, "install", "-C", BUILD, "--no-rebuild", "--quiet", "--destdir", cls.destdir])
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith(("NB_", "PKG_CONFIG"))}
        # Only the installed nb-plugin.pc; its paths as seen inside the DESTDIR.
        cls.env["PKG_CONFIG_LIBDIR"] = cls.staged(LIBDIR, "pkgconfig")
        cls.env["PKG_CONFIG_SYSROOT_DIR"] = cls.destdir

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    @classmethod
    def staged(cls, *parts):
        return cls.destdir + os.path.join(*parts)

    def plugin_folder(self, name):
        """A fresh folder outside the source tree for one plugin build."""
        folder = os.path.join(self.scratch, name)
        os.makedirs(folder)
        return folder

    def nb_host(self, *args):
        return run([self.staged(BINDIR, "nb-host"), *args], env=self.env)

    def exports(self, library):
        out = run(["nm", "-D", "--defined-only", library])
        return sorted(line.split()[-1] for line in out.splitlines() if line.strip())

    def assert_loads(self, folder, template):
        """The installed nb-host finds the template's node in `folder`, and
        describes it as its manifest says."""
        _, node_type, title = TEMPLATES[template]
        library = os.path.join(folder, "my_plugin.so")
        listed = self.nb_host("nodes", "--plugin-dir", folder).splitlines()
        self.assertIn(f"{node_type}\t1.0.0\t{title}\t{os.path.realpath(library)}", listed)
        with open(os.path.join(SOURCE, "examples", template, node_type + ".json"), encoding="utf-8") as f:
            self.assertEqual(self.nb_host("describe", node_type, "--plugin-dir", folder), f.read())

    def build_with_line(self, template, label, line):
        """Builds the template as my_plugin.so with a shell `line` that names
        my_plugin.c or my_plugin.cpp, in a folder named `label`; returns it."""
        source, _, _ = TEMPLATES[template]
        folder = self.plugin_folder(label)
        shutil.copy(os.path.join(SOURCE, "examples", template, source),
                    os.path.join(folder, "my_plugin." + template))
        run(["bash", "-c", "set -e; " + line], cwd=folder, env=self.env)
        return folder

    def test_every_part_is_where_the_docs_say(self):
        headers = sorted(os.listdir(os.path.join(SOURCE, "include", "nb")))
        self.assertEqual(sorted(os.listdir(self.staged(INCLUDEDIR, "nb"))), headers)
        for header in headers:
            with open(os.path.join(SOURCE, "include", "nb", header), "rb") as a, \
                    open(self.staged(INCLUDEDIR, "nb", header), "rb") as b:
                self.assertEqual(a.read(), b.read(), header)
        for tool in ("nb-host", "nb-conformance"):
            self.assertTrue(os.access(self.staged(BINDIR, tool), os.X_OK), tool)
        self.assertEqual(sorted(os.listdir(self.staged(LIBDIR, "nb-webhook", "plugins"))),
                         ["nb_basic.so", "nb_webhook.so"])
        self.assertEqual(sorted(os.listdir(self.staged(DATADIR, "nb-webhook", "manifests"))),
                         sorted(os.listdir(os.path.join(SOURCE, "manifests", "nodes"))))
        with open(self.staged(DATADIR, "nb-webhook", "plugin.map"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "{\n  global: nb_plugin_entry;\n  local: *;\n};\n")
        self.assertTrue(os.path.isfile(self.staged(LIBDIR, "pkgconfig", "nb-plugin.pc")))

    def test_nb_plugin_pc_gives_the_headers_the_abi_version_and_the_folders(self):
        def pkg_config(*args):
            return run(["pkg-config", *args, "nb-plugin"], env=self.env).strip()

        self.assertEqual(pkg_config("--cflags"), "-I" + self.staged(INCLUDEDIR))
        self.assertEqual(pkg_config("--libs"), "")
        with open(os.path.join(SOURCE, "include", "nb", "version.h"), encoding="utf-8") as f:
            version = dict(re.findall(r"#define NB_VERSION_(MAJOR|MINOR|REVISION) (\d+)u", f.read()))
        self.assertEqual(pkg_config("--modversion"),
                         f"{version['MAJOR']}.{version['MINOR']}.{version['REVISION']}")
        self.assertEqual(pkg_config("--variable=plugindir"), self.staged(LIBDIR, "nb-webhook", "plugins"))
        self.assertEqual(pkg_config("--variable=manifestdir"), self.staged(DATADIR, "nb-webhook", "manifests"))
        self.assertEqual(pkg_config("--variable=versionscript"), self.staged(DATADIR, "nb-webhook", "plugin.map"))

    def test_the_c_template_built_by_the_documented_line_exports_only_its_entry_and_loads(self):
        folder = self.build_with_line("c", "c-documented", documented_line("cc -std=c11 "))
        self.assertEqual(self.exports(os.path.join(folder, "my_plugin.so")), ["nb_plugin_entry"])
        self.assert_loads(folder, "c")

    def test_the_cpp_template_built_by_the_documented_line_exports_only_its_entry_and_loads(self):
        folder = self.build_with_line("cpp", "cpp-documented", documented_line("c++ -std=c++17 "))
        self.assertEqual(self.exports(os.path.join(folder, "my_plugin.so")), ["nb_plugin_entry"])
        self.assert_loads(folder, "cpp")

    def test_a_cpp_plugin_built_without_a_version_script_exports_its_entry_and_loads(self):
        folder = self.build_with_line("cpp", "cpp-no-version-script", "c++ -std=c++17 -fPIC -shared -fvisibility=hidden "
                                             "$(pkg-config --cflags nb-plugin) my_plugin.cpp -o my_plugin.so")
        self.assertIn("nb_plugin_entry", self.exports(os.path.join(folder, "my_plugin.so")))
        self.assert_loads(folder, "cpp")

    def test_the_templates_build_as_meson_projects_with_dependency_nb_plugin(self):
        for template, language in (("c", "'c', default_options: ['c_std=c11']"),
                                   ("cpp", "'cpp', default_options: ['cpp_std=c++17']")):
            with self.subTest(template=template):
                source, _, _ = TEMPLATES[template]
                project = self.plugin_folder("meson-" + template)
                shutil.copy(os.path.join(SOURCE, "examples", template, source), project)
                with open(os.path.join(SOURCE, "examples", template, "meson.build"), encoding="utf-8") as f:
                    build_file = f.read()
                with open(os.path.join(project, "meson.build"), "w", encoding="utf-8") as f:
                    f.write(f"project('my_plugin', {language})\n" + build_file)
                build = os.path.join(project, "build")
                run([MESON, "setup", build, project], env=self.env)
                run([MESON, "compile", "-C", build], env=self.env)
                os.rename(os.path.join(build, f"example_upper_{template}.so"),
                          os.path.join(project, "my_plugin.so"))
                self.assert_loads(project, template)


if __name__ == "__main__":
    unittest.main(verbosity=2)
