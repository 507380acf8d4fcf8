"""./flowwatch: which JVM options each command gets, and that the class archive never shows in output."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from hpc_testing import REPO

EXAMPLE = "examples/sci-dtn/e21062_2/rawdata/run1217"


def jar_path():
    return os.environ.get("FLOWWATCH_JAR") or os.path.join(REPO, "target", "flowwatch.jar")


class LauncherTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="fw-launcher-")
        self.addCleanup(shutil.rmtree, self.home)
        os.makedirs(os.path.join(self.home, "target"))
        shutil.copy(os.path.join(REPO, "flowwatch"), self.home)
        self.launcher = os.path.join(self.home, "flowwatch")

    def fake_java(self):
        """A `java` that prints the options it was given, one per line, and nothing else."""
        path = os.path.join(self.home, "java")
        with open(path, "w", encoding="utf-8") as f:
            f.write('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
        os.chmod(path, 0o700)
        with open(os.path.join(self.home, "target", "flowwatch.jar"), "w", encoding="utf-8") as f:
            f.write("not a jar; the fake java never opens it\n")
        return path

    def options(self, *args, archive=False):
        if archive:
            with open(os.path.join(self.home, "target", "flowwatch.jsa"), "w", encoding="utf-8") as f:
                f.write("x")
        env = dict(os.environ, JAVA=self.fake_java())
        env.pop("FLOWWATCH_JAVA_OPTS", None)
        done = subprocess.run([self.launcher, *args], env=env, capture_output=True, text=True, timeout=30,
                              check=True)
        argv = done.stdout.splitlines()
        return argv[:argv.index("-jar")]

    def test_every_command_and_the_agent_use_the_quick_compiler_only_and_no_perf_data(self):
        for args in (["status"], ["--dry-run", "--rundir", "r"], ["--rundir", "r"], ["lint"],
                     ["--watchdir", "w", "--once"], ["--watchdir=w", "--dry-run"], ["--watchdir", "w"],
                     ["--config", "c.yaml", "--watchdir=w"]):
            used = self.options(*args)
            self.assertIn("-XX:TieredStopAtLevel=1", used, args)
            self.assertIn("-XX:-UsePerfData", used, args)

    def test_only_the_agent_compiles_early(self):
        for args in (["--watchdir", "w"], ["--config", "c.yaml", "--watchdir=w"]):
            self.assertIn("-XX:CompileThresholdScaling=0.2", self.options(*args), args)
        for args in (["status"], ["--dry-run", "--rundir", "r"], ["--watchdir", "w", "--once"],
                     ["--watchdir=w", "--dry-run"], ["run-flow", "f.json", "i.json"]):
            self.assertNotIn("-XX:CompileThresholdScaling=0.2", self.options(*args), args)

    def test_the_archive_is_used_when_present_and_quietly(self):
        self.assertFalse(any(o.startswith("-XX:SharedArchiveFile") for o in self.options("status")))
        used = self.options("status", archive=True)
        archive = os.path.join(self.home, "target", "flowwatch.jsa")
        self.assertIn("-XX:SharedArchiveFile=" + archive, used)
        self.assertIn("-Xlog:cds=off", used)
        self.assertIn("-Xlog:cds+dynamic=off", used)

    def test_java_opts_come_last_so_they_override(self):
        env = dict(os.environ, JAVA=self.fake_java(), FLOWWATCH_JAVA_OPTS="-Xmx64m -XX:TieredStopAtLevel=4")
        done = subprocess.run([self.launcher, "status"], env=env, capture_output=True, text=True, timeout=30,
                              check=True)
        argv = done.stdout.splitlines()
        self.assertEqual(["-Xmx64m", "-XX:TieredStopAtLevel=4", "-jar"], argv[argv.index("-jar") - 2:argv.index("-jar") + 1])

    @unittest.skipUnless(os.path.isfile(jar_path()), "needs the packaged jar (mvn package)")
    def test_a_stale_archive_changes_nothing_on_stdout(self):
        """An archive the JVM cannot use (here: made for the jar before it was rebuilt) must not reach
        stdout, where the dry run prints the input document."""
        jar = os.path.join(self.home, "target", "flowwatch.jar")
        shutil.copy(jar_path(), jar)
        env = dict(os.environ, FRIB_DTN_ROOT=os.path.join(REPO, "examples", "sci-dtn"))
        env.pop("FLOWWATCH_JAVA_OPTS", None)
        argv = [self.launcher, "--config", os.path.join(REPO, "flowwatch.yaml"), "--state-dir",
                os.path.join(self.home, "state"), "--dry-run", "--rundir", os.path.join(REPO, EXAMPLE)]
        plain = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=True)
        subprocess.run(["java", "-XX:ArchiveClassesAtExit=" + os.path.join(self.home, "target", "flowwatch.jsa"),
                        "-jar", jar, "--version"], capture_output=True, timeout=120, check=True)
        stat = os.stat(jar)
        os.utime(jar, (stat.st_atime, stat.st_mtime + 60))
        stale = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=True)
        self.assertEqual(plain.stdout, stale.stdout)
        self.assertEqual(plain.stderr, stale.stderr)
        json.loads(stale.stdout)

if __name__ == "__main__":
    unittest.main()
