"""./flowwatch: which JVM options each command gets, and that the class archive never shows in output."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from hpc_testing import REPO

EXAMPLE = "examples/sci-dtn/e21062_2/rawdata/run1217"


FAKE_JAVA = r"""#!/bin/sh
jdk=$(dirname "$(dirname "$0")")
dump=no other=no
for a in "$@"; do
  case $a in
    -XX:ArchiveClassesAtExit=*) dump=yes ;;
    -XX:SharedArchiveFile=*|-Xshare:off) other=yes ;;
  esac
done
if [ $dump = yes ] && { [ $other = yes ] || [ ! -f "$jdk/lib/server/classes.jsa" ]; }; then
  echo "Error occurred during initialization of VM" >&2
  echo "DynamicDumpSharedSpaces is unsupported when base CDS archive is not loaded" >&2
  exit 1
fi
for a in "$@"; do printf "%s\n" "$a"; done
"""


def jar_path():
    return os.environ.get("FLOWWATCH_JAR") or os.path.join(REPO, "target", "flowwatch.jar")


class LauncherTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="fw-launcher-")
        self.addCleanup(shutil.rmtree, self.home)
        os.makedirs(os.path.join(self.home, "target"))
        shutil.copy(os.path.join(REPO, "flowwatch"), self.home)
        self.launcher = os.path.join(self.home, "flowwatch")

    def fake_java(self, base_archive=True):
        """A `java` that prints the options it was given, one per line, and nothing else; in a JDK's layout,
        with the JVM's own class archive unless told otherwise. Like the real one (checked on OpenJDK 17),
        it refuses to start when asked to write a class archive with sharing off, on top of another archive,
        or without an archive of its own."""
        jdk = os.path.join(self.home, "jdk")
        os.makedirs(os.path.join(jdk, "bin"), exist_ok=True)
        os.makedirs(os.path.join(jdk, "lib", "server"), exist_ok=True)
        base = os.path.join(jdk, "lib", "server", "classes.jsa")
        if base_archive:
            with open(base, "w", encoding="utf-8") as f:
                f.write("x")
        elif os.path.exists(base):
            os.remove(base)
        # Each made once: their sizes and times are part of the agent archive's name.
        path = os.path.join(jdk, "bin", "java")
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8") as f:
                f.write(FAKE_JAVA)
            os.chmod(path, 0o700)
        jar = os.path.join(self.home, "target", "flowwatch.jar")
        if not os.path.exists(jar):
            with open(jar, "w", encoding="utf-8") as f:
                f.write("not a jar; the fake java never opens it\n")
        return path

    def options(self, *args, archive=False, env=None, base_archive=True, java_opts=None):
        if archive:
            with open(os.path.join(self.home, "target", "flowwatch.jsa"), "w", encoding="utf-8") as f:
                f.write("x")
        # The agent's archive goes to the default state directory unless told otherwise: never the user's.
        env = dict(env or dict(os.environ, XDG_STATE_HOME=os.path.join(self.home, "xdg")),
                   JAVA=self.fake_java(base_archive))
        env.pop("FLOWWATCH_JAVA_OPTS", None)
        if java_opts:
            env["FLOWWATCH_JAVA_OPTS"] = java_opts
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

    def test_only_the_agent_starts_with_a_32_mb_heap(self):
        agent = self.options("--watchdir", "w", "--state-dir", self.state())
        self.assertIn("-Xms32m", agent)
        self.assertNotIn("-Xms8m", agent, "one heap start, not two")
        for args in (["status"], ["--dry-run", "--rundir", "r"], ["--watchdir", "w", "--once"]):
            self.assertNotIn("-Xms32m", self.options(*args), args)
            self.assertIn("-Xms8m", self.options(*args), args)

    def state(self):
        return os.path.join(self.home, "state")

    @staticmethod
    def option(used, name):
        found = [o[len(name) + 1:] for o in used if o.startswith(name + "=")]
        return found[0] if found else None

    def test_the_agent_without_an_archive_of_its_own_writes_one_as_it_exits(self):
        used = self.options("--watchdir", "w", "--state-dir", self.state(), archive=True)
        made = self.option(used, "-XX:ArchiveClassesAtExit")
        self.assertIsNotNone(made, used)
        self.assertEqual(self.state(), os.path.dirname(made))
        self.assertRegex(os.path.basename(made), r"^agent-\d+\.jsa\.new$")
        self.assertIsNone(self.option(used, "-XX:SharedArchiveFile"), "a dynamic archive cannot grow another")
        self.assertIn("-Xlog:cds=off", used)
        since = made[:-len(".new")] + ".since"
        self.assertTrue(os.path.isfile(since))
        self.assertEqual(0o600, os.stat(since).st_mode & 0o777)
        self.assertEqual(0o700, os.stat(self.state()).st_mode & 0o777)

    def test_no_archive_is_written_where_the_jvm_would_refuse_to_start(self):
        # Without the JVM's own archive, or with class sharing off, -XX:ArchiveClassesAtExit stops the JVM
        # at once ("DynamicDumpSharedSpaces is unsupported when base CDS archive is not loaded").
        for kwargs in (dict(base_archive=False), dict(java_opts="-Xshare:off"),
                       dict(java_opts="-XX:SharedArchiveFile=/elsewhere.jsa")):
            used = self.options("--watchdir", "w", "--state-dir", self.state(), archive=True, **kwargs)
            self.assertIsNone(self.option(used, "-XX:ArchiveClassesAtExit"), kwargs)
            self.assertIn("-Xms32m", used)
            # the jar's archive serves instead (the user's own option, last, wins over it)
            self.assertIn("-XX:SharedArchiveFile=" + os.path.join(self.home, "target", "flowwatch.jsa"), used)

    def test_the_archive_of_a_run_whose_loop_got_going_is_kept_and_used(self):
        made = self.option(self.options("--watchdir", "w", "--state-dir=" + self.state()), "-XX:ArchiveClassesAtExit")
        archive = made[:-len(".new")]
        self.exits_after_writing_status(made, archive + ".since")
        used = self.options("--watchdir", "w", "--state-dir=" + self.state())
        self.assertEqual(archive, self.option(used, "-XX:SharedArchiveFile"))
        self.assertIsNone(self.option(used, "-XX:ArchiveClassesAtExit"))
        self.assertEqual(0o400, os.stat(archive).st_mode & 0o777)
        self.assertEqual([os.path.basename(archive)], [n for n in os.listdir(self.state()) if n.startswith("agent-")])
        # short commands keep the jar's own archive
        self.assertNotEqual(archive, self.option(self.options("status", archive=True), "-XX:SharedArchiveFile"))

    def test_the_archive_of_a_run_that_failed_at_once_is_made_again(self):
        made = self.option(self.options("--watchdir", "w", "--state-dir", self.state()), "-XX:ArchiveClassesAtExit")
        with open(made, "w", encoding="utf-8") as f:
            f.write("the classes of a run that stopped at a typo")  # and no agent.status since
        used = self.options("--watchdir", "w", "--state-dir", self.state())
        self.assertEqual(made, self.option(used, "-XX:ArchiveClassesAtExit"))
        self.assertIsNone(self.option(used, "-XX:SharedArchiveFile"))
        self.assertFalse(os.path.exists(made), "the partial archive is gone")

    def test_a_rebuilt_jar_makes_a_new_archive_and_drops_the_old(self):
        made = self.option(self.options("--watchdir", "w", "--state-dir", self.state()), "-XX:ArchiveClassesAtExit")
        self.exits_after_writing_status(made, made[:-len(".new")] + ".since")
        self.options("--watchdir", "w", "--state-dir", self.state())  # promoted
        jar = os.path.join(self.home, "target", "flowwatch.jar")
        st = os.stat(jar)
        os.utime(jar, (st.st_atime, st.st_mtime + 60))
        again = self.option(self.options("--watchdir", "w", "--state-dir", self.state()), "-XX:ArchiveClassesAtExit")
        self.assertIsNotNone(again)
        self.assertNotEqual(made, again)
        fresh = os.path.basename(again)[:-len(".new")]
        # the old archive is gone; the JVM writes the new one as the agent exits
        self.assertEqual([fresh + ".since"], sorted(n for n in os.listdir(self.state()) if n.startswith("agent-")))

    def test_the_default_state_directory_holds_the_agent_archive(self):
        xdg = os.path.join(self.home, "xdg")
        used = self.options("--watchdir", "w", env=dict(os.environ, XDG_STATE_HOME=xdg))
        self.assertEqual(os.path.join(xdg, "flowwatch"), os.path.dirname(self.option(used, "-XX:ArchiveClassesAtExit")))
        home = os.path.join(self.home, "h")
        env = dict(os.environ, HOME=home, XDG_STATE_HOME="relative/is/ignored")
        used = self.options("--watchdir", "w", env=env)
        self.assertEqual(os.path.join(home, ".local", "state", "flowwatch"),
                         os.path.dirname(self.option(used, "-XX:ArchiveClassesAtExit")))

    def exits_after_writing_status(self, made, since):
        """What a run whose loop got going leaves: its archive, and agent.status newer than its start."""
        with open(made, "w", encoding="utf-8") as f:
            f.write("archive")
        status = os.path.join(os.path.dirname(made), "agent.status")
        with open(status, "w", encoding="utf-8") as f:
            f.write("{}")
        st = os.stat(since)
        os.utime(status, (st.st_atime, st.st_mtime + 5))

    def test_java_opts_come_last_so_they_override(self):
        env = dict(os.environ, JAVA=self.fake_java(), FLOWWATCH_JAVA_OPTS="-Xmx64m -XX:TieredStopAtLevel=4")
        done = subprocess.run([self.launcher, "status"], env=env, capture_output=True, text=True, timeout=30,
                              check=True)
        argv = done.stdout.splitlines()
        self.assertEqual(["-Xmx64m", "-XX:TieredStopAtLevel=4", "-jar"], argv[argv.index("-jar") - 2:argv.index("-jar") + 1])

    @unittest.skipUnless(os.path.isfile(jar_path()), "needs the packaged jar (mvn package)")
    def test_a_stale_archive_changes_nothing_on_stdout(self):
        """An archive the JVM cannot use (here: made for the jar before it was rebuilt) must not reach
        stdout, where the dry run prints the input document: neither a static one, as mvn package makes,
        nor a dynamic one, as the agent keeps (and as target/ held before), of which the JVM warns."""
        jar = os.path.join(self.home, "target", "flowwatch.jar")
        archive = os.path.join(self.home, "target", "flowwatch.jsa")
        classes = os.path.join(self.home, "target", "flowwatch.classlist")
        env = dict(os.environ, FRIB_DTN_ROOT=os.path.join(REPO, "examples", "sci-dtn"))
        env.pop("FLOWWATCH_JAVA_OPTS", None)
        argv = [self.launcher, "--config", os.path.join(REPO, "flowwatch.yaml"), "--state-dir",
                os.path.join(self.home, "state"), "--dry-run", "--rundir", os.path.join(REPO, EXAMPLE)]
        makers = {
            "static": [["java", "-XX:DumpLoadedClassList=" + classes, "-jar", jar, "--version"],
                       ["java", "-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                        "-XX:SharedArchiveFile=" + archive, "-cp", jar]],
            "dynamic": [["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", jar, "--version"]],
        }
        for kind, commands in makers.items():
            shutil.copy(jar_path(), jar)
            if os.path.exists(archive):
                os.chmod(archive, 0o600)
                os.remove(archive)
            plain = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=True)
            for command in commands:
                subprocess.run(command, capture_output=True, timeout=120, check=True)
            stat = os.stat(jar)
            os.utime(jar, (stat.st_atime, stat.st_mtime + 60))
            stale = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=True)
            self.assertEqual(plain.stdout, stale.stdout, kind)
            self.assertEqual(plain.stderr, stale.stderr, kind)
            json.loads(stale.stdout)

    @unittest.skipUnless(os.path.isfile(jar_path()), "needs the packaged jar (mvn package)")
    def test_the_real_jvm_starts_the_agent_with_or_without_an_archive_to_write(self):
        """The real JVM, through ./flowwatch, on a watch directory that is not there: flowwatch's own
        message and exit status 2 every time, never the JVM's refusal; the first run writes its archive."""
        shutil.copy(jar_path(), os.path.join(self.home, "target", "flowwatch.jar"))
        missing = os.path.join(self.home, "no-such-dir")
        for opts in ("-Xshare:off", None):
            env = dict(os.environ, XDG_STATE_HOME=os.path.join(self.home, "xdg"))
            env.pop("FLOWWATCH_JAVA_OPTS", None)
            if opts:
                env["FLOWWATCH_JAVA_OPTS"] = opts
            done = subprocess.run([self.launcher, "--config", os.path.join(REPO, "flowwatch.yaml"), "--watchdir",
                                   missing, "--state-dir", self.state()], env=env,
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(2, done.returncode, (opts, done.stdout, done.stderr))
            self.assertEqual("", done.stdout, opts)
            self.assertEqual(["flowwatch: the watch directory %s does not exist; give --watchdir the directory that"
                              " receives the run directories" % missing], done.stderr.splitlines(), opts)
        self.assertEqual(1, len([n for n in os.listdir(self.state()) if n.endswith(".jsa.new")]))


if __name__ == "__main__":
    unittest.main()
