"""The function_code flowwatch registers, taken from the packaged jar (register-function
--print-function-code), unpacked and deserialised the way Globus Compute does it, yields callables that work.
"""

import base64
import binascii
import os
import subprocess
import unittest

from hpc_testing import JOB_DIR, PIPELINE, REPO, STANDINS, TempDirTest


def jar_path():
    return os.environ.get("FLOWWATCH_JAR") or os.path.join(REPO, "target", "flowwatch.jar")


def function_code(file, name):
    done = subprocess.run(["java", "-jar", jar_path(), "register-function", "--print-function-code",
                           "%s:%s" % (file, name)], capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError("flowwatch failed: " + done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8")


def unpack_buffers(packed):
    """The service's pack format: <len>\\n<buffer> repeated, len = Python len() (code points)."""
    buffers, rest = [], packed
    while rest:
        length, _, rest = rest.partition("\n")
        buffers.append(rest[:int(length)])
        rest = rest[int(length):]
    return buffers


def deserialize_source_text(buffer):
    """PureSourceTextInspect.deserialize: chomp "st\\n", undo base64 if it is base64, split on the first ':',
    exec the source in a fresh namespace, return the object with that name."""
    assert buffer.startswith("st\n"), buffer[:10]
    chomped = buffer[3:]
    try:
        chomped = base64.b64decode(chomped.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass  # newer SDKs send base64, flowwatch sends the text itself; both are accepted
    name, body = chomped.split(":", 1)
    namespace = {}
    exec(body, namespace)  # noqa: S102 - what the endpoint does
    return name, body, namespace[name]


class FunctionCodeTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        if not os.environ.get("FLOWWATCH_JAR") and not os.path.isfile(jar_path()):
            raise unittest.SkipTest("no %s: build it with 'mvn package' (Maven runs this test after it)" % jar_path())

    def test_the_pipeline_functions_come_back_whole_and_callable(self):
        with open(PIPELINE, encoding="utf-8") as f:
            source = f.read()
        functions = {}
        for name in ("fit", "convert", "analyze"):
            buffers = unpack_buffers(function_code(PIPELINE, name))
            self.assertEqual(1, len(buffers), "function_code packs exactly one buffer")
            found, body, function = deserialize_source_text(buffers[0])
            self.assertEqual(name, found)
            self.assertEqual(source, body, "the whole file, byte for byte")
            self.assertTrue(callable(function))
            functions[name] = function

        for seg in ("00", "01"):
            self.write("raw/run1217/run-1217-%s.evt" % seg, "events %s\n" % seg)
        env = {"FW_CONTAINER": "none", "FW_MPI_LAUNCHER": "none", "FW_DAQ_SETUP": "", "FW_ROOT_SETUP": "",
               "FW_ANALYZE_SETUP": "", "FW_SCRATCH": self.path("scratch"),
               "FW_FIT_TOOL": os.path.join(STANDINS, "fake_eventeditor.sh"),
               "FW_CONVERT_TOOL": os.path.join(STANDINS, "fake_eeconverter.sh"),
               "FW_ANALYZE_TOOL": os.path.join(STANDINS, "fake_betasort.sh")}
        common = {"endpoint_id": "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889", "log_dir": self.path("logs"),
                  "job_dir": JOB_DIR, "launcher": "direct", "env": env}
        functions["fit"](input_path=self.path("raw/run1217"), output_path=self.path("fitted/run1217"), **common)
        functions["convert"](input_path=self.path("fitted/run1217"), output_path=self.path("converted/run1217"),
                             **common)
        summary = functions["analyze"](input_path=self.path("converted/run1217"), output_path=self.path("analyzed"),
                                       **common)
        self.assertEqual([self.path("analyzed/run-1217-sorted.root")], summary["outputs"])

    def test_lengths_are_code_points_so_any_unicode_survives(self):
        source = ("# é, 中文 and a test tube 🧪: one code point each, 2, 3 or 4 bytes, 1 or 2 UTF-16 units\n"
                  "def label(x):\n    return '🧪 ' + x + ' é'\n")
        file = self.write("unicode_probe.py", source)

        packed = function_code(file, "label")

        header, _, buffer = packed.partition("\n")
        self.assertEqual(len(buffer), int(header))
        self.assertNotEqual(len(buffer.encode("utf-8")), int(header))
        self.assertNotEqual(len(buffer.encode("utf-16-le")) // 2, int(header))
        _, body, label = deserialize_source_text(unpack_buffers(packed)[0])
        self.assertEqual(source, body)
        self.assertEqual("🧪 run é", label("run"))
