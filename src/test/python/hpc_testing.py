"""Shared by the HPC-side tests: where things are, and loading the Compute functions the way an endpoint does."""

import os
import shutil
import socket
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PIPELINE = os.path.join(REPO, "src", "main", "python", "pipeline.py")
JOB_DIR = os.path.join(REPO, "slurm_jobs")
STANDINS = os.path.join(REPO, "src", "test", "python", "standins")
HOST = socket.gethostname().split(".")[0]


def load_like_an_endpoint(source_text, name):
    """What PureSourceTextInspect.deserialize does with "name:source": exec in a fresh dict, look up name."""
    namespace = {}
    exec(source_text, namespace)  # noqa: S102 - the point of the test
    return namespace[name], namespace


def pipeline_namespace():
    with open(PIPELINE, encoding="utf-8") as f:
        return load_like_an_endpoint(f.read(), "fit")[1]


class TempDirTest(unittest.TestCase):
    """A fresh directory per test, under FLOWWATCH_TEST_TMP (target/ in the Maven build) when set."""

    def setUp(self):
        base = os.environ.get("FLOWWATCH_TEST_TMP")
        if base:
            os.makedirs(base, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix=self.__class__.__name__ + "-", dir=base)
        self.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, relative, text):
        full = self.path(relative)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        return full

    def read(self, relative):
        with open(self.path(relative), encoding="utf-8") as f:
            return f.read()
