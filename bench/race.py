#!/usr/bin/env python3
"""The race of issue 10: flowwatch against a GFTE-style watchdog trigger and a FRIB-style poller, in one run,
against one local Auth+Flows stub (bench/stub_flows.py), with the figures side by side and their ratios.

Usage: bench/race.py [--quick] [--only FIGURE...] [--tree N] [--scratch DIR] [--build]

Figures (numbers as in the issue's table):
  1  sentinel -> start request latency, p50 / p99: a writer makes a run directory with files, then its
     sentinel; latency is the stub's arrival time of the start minus the sentinel's creation, both on
     CLOCK_MONOTONIC (the FRIB-style poller ignores sentinels: the sentinel is the directory's last write,
     which is what its mtime settling waits for)
  2  CPU per start: utime+stime of the trigger (all threads, and children) over figure 1's phase / starts
  3  idle with N finished run directories: CPU-s per minute over a window, and RSS (VmRSS, VmHWM)
  4  start-up CPU with that N-directory tree: from exec until the process has said it is watching and
     then used under 20 ms of CPU in one second (its first pass is over)
  5  N run directories present at start-up -> all started (flowwatch only: the others never start what
     was there before them), stub answering at once, limits raised
  6  B run directories made ready at once (written as fast as one writer can), stub answering in 20 ms:
     time from the first write until the last start arrived; then B more to the same process, once it is
     quiet again (a JIT-compiled runtime's first burst pays for compiling the start path; the second shows
     what a long-running one costs). A trigger that starts nothing for 30 s is taken to have missed the rest
  7  `flowwatch --dry-run --rundir` on the bundled example through ./flowwatch: wall time and max RSS,
     against `java -version`
Every figure also checks that each run directory was started exactly once, and none missed; a breach is
printed as a VIOLATION and makes the exit status 1.

Nothing is built unless --build is given: the race runs target/flowwatch.jar as it is. The Python triggers
run with Debian's /usr/bin/python3, which has python3-watchdog (bench/install-bench-deps.sh).
Full run: N = 10,000, B = 1,000, 60 s idle window, about 7 minutes on an idle 2-core machine. --quick:
N = 2,000, B = 200, 15 s window, about 3 minutes.
"""
import argparse
import collections
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"  # Debian's, where python3-watchdog is installed
TICK = os.sysconf("SC_CLK_TCK")
SENTINEL = ".done"
# Figure 6 stops waiting for a trigger that has started nothing more for this long (s).
STALL = 30
TRIGGERS = ("flowwatch", "gfte", "frib")
NAMES = {"flowwatch": "flowwatch", "gfte": "GFTE-style", "frib": "FRIB-style"}

# What each size of race measures. The timeouts are generous on purpose: a figure that runs out of time
# is reported as what it reached, not as a crash. Every trigger gets the same warm-up starts before
# latency and CPU are counted: all of them run for weeks, and flowwatch's JVM compiles what it runs in
# its first hundred or so starts.
SIZES = {
    "full": dict(latency=200, warm=100, tree=10_000, files=3, idle=60, settle_idle=30, burst=1000, dry=7,
                 catchup_timeout=900, burst_timeout=600, end_timeout=600),
    "quick": dict(latency=50, warm=30, tree=2_000, files=3, idle=15, settle_idle=10, burst=200, dry=5,
                  catchup_timeout=300, burst_timeout=180, end_timeout=180),
}

# The competitors' settings. For latency and the burst both get short cadences, or they would lose by
# their defaults alone (FRIB: a listing every 300 s, a 30 s trigger delay, a look every 5 s). For idle and
# start-up the poller lists as often as flowwatch scans in full (every 10 s, flowwatch's default) with
# FRIB's own delay: a production cadence, not a race one.
FRIB_FAST = dict(interval=0.25, trigger_delay=0.2, recheck=0.1)
FRIB_IDLE = dict(interval=10, trigger_delay=30, recheck=5)
FLOWWATCH_WATCH = dict(readiness="[sentinel]", sentinel=SENTINEL, max_active_runs=1_000_000,
                       max_starts_per_minute=1_000_000, concurrent_starts=64)
# Real flow runs take minutes: while a figure is measured its runs stay ACTIVE, as they would.
RUNS_LAST = 3600


class Violations:
    """Every breach of exactly-once seen in any figure, printed where it happens and again at the end.

    flowwatch's breaches fail the race (exit status 1); a competitor's are its nature (the GFTE-style
    trigger can see one sentinel twice when watchdog adds a new directory's watch and also replays what it
    finds there), so they are printed as loudly, counted in the table, and do not fail it."""

    def __init__(self):
        self.found = []  # (trigger, text)
        self.count = collections.Counter()  # trigger -> breaches

    def check(self, figure, trigger, starts, expected):
        """starts: the stub's entries for this trigger's flow; expected: the run names that must start once."""
        counts = collections.Counter(key_of(label) for _, label, _ in starts)
        problems = []
        for name in sorted(expected):
            if counts.get(name, 0) == 0:
                problems.append("%s never started" % name)
            elif counts[name] > 1:
                problems.append("%s started %d times" % (name, counts[name]))
        for name in sorted(set(counts) - set(expected)):
            problems.append("%s started %d times but should not have started" % (name, counts[name]))
        for p in problems[:20]:
            self.say(trigger, "figure %s, %s: %s" % (figure, NAMES[trigger], p))
        if len(problems) > 20:
            self.say(trigger, "figure %s, %s: ... and %d more" % (figure, NAMES[trigger], len(problems) - 20))
        self.count[trigger] += len(problems)
        return not problems

    def report(self, trigger, text):
        """One breach found otherwise (flowwatch's ledger)."""
        self.count[trigger] += 1
        self.say(trigger, text)

    def say(self, trigger, text):
        self.found.append((trigger, text))
        print("!!! VIOLATION of exactly-once%s: %s" % ("" if trigger == "flowwatch" else " (a competitor's)", text),
              flush=True)

    def flowwatch(self):
        return [text for trigger, text in self.found if trigger == "flowwatch"]


def key_of(label):
    """The run name in a start's label: flowwatch appends ' · fw-<token>' to '{run.name}'."""
    return label.split(" \u00b7 ")[0].strip()


def now_ns():
    return time.monotonic_ns()


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


# --- processes -------------------------------------------------------------------------------------------

def proc_cpu(pid):
    """utime+stime of a process and its waited-for children, in seconds; None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICK


def descendants(pid):
    """Living descendants of pid (the Python triggers and flowwatch start none today; this keeps it honest)."""
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
                children[int(stat[stat.rindex(")") + 2:].split()[1])].append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def tree_cpu(pid):
    total = proc_cpu(pid) or 0.0
    for c in descendants(pid):
        total += proc_cpu(c) or 0.0
    return total


def memory_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


class Trigger:
    """One trigger process, its log in a file, and the figures read off /proc."""

    def __init__(self, kind, argv, env, log, ready_text, flow_id, cwd=None):
        self.kind = kind
        self.flow_id = flow_id
        self.log = log
        self.ready_text = ready_text
        self.exec_ns = now_ns()
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid

    def cpu(self):
        return tree_cpu(self.pid)

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def await_ready(self, timeout=180):
        """Waits for the line saying it watches; returns the seconds it took since exec."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.ready_text in self.log_text():
                return (now_ns() - self.exec_ns) / 1e9
            if self.proc.poll() is not None:
                raise RaceError("%s exited with %d before it said it was watching; its log %s ends:\n%s"
                                % (NAMES[self.kind], self.proc.returncode, self.log, self.tail()))
            time.sleep(0.02)
        raise RaceError("%s did not say it was watching within %d s; its log %s ends:\n%s"
                        % (NAMES[self.kind], timeout, self.log, self.tail()))

    def await_quiet(self, window=1.0, under=0.02, timeout=300):
        """Waits until the process used less than `under` CPU-s in `window` s; returns (CPU-s, s since exec)
        at the start of that quiet window. It is how every trigger's first pass is seen to end, whether or
        not it logs it (flowwatch logs 'watching' before its first pass)."""
        samples = collections.deque()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            t, c = now_ns(), self.cpu()
            samples.append((t, c))
            while samples and t - samples[0][0] > window * 1e9:
                t0, c0 = samples.popleft()
                if c - c0 < under:
                    return c0, (t0 - self.exec_ns) / 1e9
            if self.proc.poll() is not None:
                raise RaceError("%s exited with %d; its log %s ends:\n%s"
                                % (NAMES[self.kind], self.proc.returncode, self.log, self.tail()))
            time.sleep(0.1)
        raise RaceError("%s never went quiet (under %d ms of CPU in %.0f s) within %d s"
                        % (NAMES[self.kind], under * 1000, window, timeout))

    def tail(self, lines=15):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class RaceError(Exception):
    """A figure that could not be measured; the race says why and goes on with the next one."""


# --- the stub --------------------------------------------------------------------------------------------

class Stub:
    def __init__(self, scratch):
        self.log = os.path.join(scratch, "stub.log")
        out = open(self.log, "wb")
        self.proc = subprocess.Popen([PYTHON, os.path.join(HERE, "stub_flows.py"), "--finish-after", str(RUNS_LAST)],
                                     stdout=subprocess.PIPE, stderr=out, stdin=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening "):
            raise RaceError("the stub did not start: %r; see %s" % (line, self.log))
        self.url = "http://127.0.0.1:%d" % int(line.split()[1])

    def get(self, path, timeout=60):
        with urllib.request.urlopen(self.url + path, timeout=timeout) as r:
            return json.loads(r.read())

    def post(self, path, body):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def starts(self, flow_id, wait=0, timeout=0):
        """The starts of one flow, [arrival ns, label, flow id] each; waits up to timeout s for `wait` of them."""
        return self.get("/_bench/starts?flow=%s&wait=%d&timeout=%s" % (flow_id, wait, timeout),
                        timeout=timeout + 30)["starts"]

    def config(self, delay_ms=None, finish_after=None):
        body = {}
        if delay_ms is not None:
            body["delay_ms"] = delay_ms
        if finish_after is not None:
            body["finish_after"] = finish_after
        self.post("/_bench/config", body)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


# --- the race --------------------------------------------------------------------------------------------

class Race:
    def __init__(self, args):
        self.size = dict(SIZES["quick" if args.quick else "full"])
        if args.tree:
            # A bigger tree takes longer to catch up and to see end; give it time in proportion.
            scale = max(1.0, args.tree / self.size["tree"])
            self.size.update(tree=args.tree, catchup_timeout=int(self.size["catchup_timeout"] * scale),
                             end_timeout=int(self.size["end_timeout"] * scale))
        self.quick = args.quick
        self.scratch = args.scratch
        self.only = set(args.only or "1234567")
        self.violations = Violations()
        self.results = {}  # (figure row, trigger) -> value
        self.notes = []  # lines printed under the table
        self.failed = []  # figures that could not be measured, and why
        self.stub = None

    # environment and launch

    def env(self, name):
        """The environment every trigger gets: the stub's URLs, client credentials, private state."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GLOBUS_", "FLOWWATCH_"))}
        state = os.path.join(self.scratch, "home-" + name)
        os.makedirs(state, mode=0o700, exist_ok=True)
        env.update(GLOBUS_SDK_SERVICE_URL_AUTH=self.stub.url, GLOBUS_SDK_SERVICE_URL_FLOWS=self.stub.url,
                   GLOBUS_CLIENT_ID="race-" + name, GLOBUS_CLIENT_SECRET="race-secret",
                   XDG_STATE_HOME=state, FLOWWATCH_LOCK_DIR=os.path.join(self.scratch, "locks"))
        return env

    def flowwatch_config(self, name, watch, flow_id, extra=None):
        """A minimal config: one collection rooted at the watch directory, the stub's flow, sentinel readiness."""
        os.makedirs(os.path.join(self.scratch, "conf"), exist_ok=True)
        schema = os.path.join(self.scratch, "conf", "schema.json")
        with open(schema, "w") as f:
            f.write('{"type": "object"}\n')
        settings = dict(FLOWWATCH_WATCH, **(extra or {}))
        path = os.path.join(self.scratch, "conf", name + ".yaml")
        with open(path, "w") as f:
            f.write("collections:\n  dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s}\n" % watch)
            f.write("flow:\n  id: %s\n  schema: %s\n  label: '{run.name}'\n  tags: [race]\n" % (flow_id, schema))
            f.write("run_directory:\n  pattern: 'run(?<number>\\d+)'\n")
            f.write("watch:\n" + "".join("  %s: %s\n" % kv for kv in settings.items()))
            f.write("input:\n  source: {id: '{run.collection_id}', path: '{run.globus_path}'}\n"
                    "  name: '{run.name}'\n")
        os.chmod(path, 0o600)
        return path, settings

    def start(self, kind, name, watch, flow_id, frib=None, state=None, config_extra=None):
        log = os.path.join(self.scratch, name + "-" + kind + ".log")
        env = self.env(name + "-" + kind)
        if kind == "flowwatch":
            config, settings = self.flowwatch_config(name, watch, flow_id, config_extra)
            state = state or os.path.join(self.scratch, name + "-state")
            argv = [os.path.join(REPO, "flowwatch"), "--config", config, "--watchdir", watch, "--state-dir", state]
            return Trigger(kind, argv, env, log, "agent watching", flow_id)
        if kind == "gfte":
            argv = [PYTHON, os.path.join(HERE, "gfte_trigger.py"), "--watchdir", watch, "--flow-id", flow_id,
                    "--sentinel", SENTINEL]
            return Trigger(kind, argv, env, log, "watching ", flow_id)
        argv = [PYTHON, os.path.join(HERE, "frib_poller.py"), "--watchdir", watch, "--flow-id", flow_id,
                "--interval", str(frib["interval"]), "--trigger-delay", str(frib["trigger_delay"]),
                "--recheck", str(frib["recheck"])]
        return Trigger(kind, argv, env, log, "watching ", flow_id)

    def fresh(self, name):
        path = os.path.join(self.scratch, name)
        os.makedirs(path)
        return path

    # writers

    def write_run(self, watch, name, files, sentinel):
        d = os.path.join(watch, name)
        os.mkdir(d)
        for i in range(files):
            with open(os.path.join(d, "%s-%02d.evt" % (name, i)), "wb") as f:
                f.write(b"segment " * 512)
        if sentinel:
            open(os.path.join(d, SENTINEL), "xb").close()
        return d

    # figures 1 and 2

    def latency(self):
        n, warm = self.size["latency"], self.size["warm"]
        for kind in TRIGGERS:
            flow_id = str(uuid.uuid4())
            watch = self.fresh("f1-%s-watch" % kind)
            t = self.start(kind, "f1", watch, flow_id, frib=FRIB_FAST)
            try:
                t.await_ready()
                t.await_quiet()
                names, lat_ms, missed = [], [], 0
                cpu0 = None
                # A random pause before each sample: without it the writer falls into step with a poller's
                # period (it always writes just after the start it waited for) and every sample is the same.
                jitter = random.Random(10)
                for i in range(warm + n):
                    if i == warm:
                        cpu0 = t.cpu()
                    time.sleep(jitter.uniform(0, 0.25))
                    name = "run%05d" % i
                    names.append(name)
                    self.write_run(watch, name, self.size["files"], sentinel=False)
                    time.sleep(0.03)  # the directory's own events pass before the sentinel comes
                    t0 = now_ns()
                    open(os.path.join(watch, name, SENTINEL), "xb").close()
                    mine = self.await_start(flow_id, name, 30)
                    if not mine:
                        missed += 1
                        continue
                    if i >= warm:
                        lat_ms.append((mine[0][0] - t0) / 1e6)
                cpu = t.cpu() - cpu0
                time.sleep(0.5)  # a late duplicate would arrive now
                self.violations.check(1, kind, self.stub.starts(flow_id), names)
                if lat_ms:
                    self.results[("p50", kind)] = pct(lat_ms, 50)
                    self.results[("p99", kind)] = pct(lat_ms, 99)
                    self.results[("cpu_start", kind)] = cpu / len(lat_ms) * 1000
                if missed:
                    self.notes.append("figure 1: %s missed %d of %d starts (30 s each)" % (NAMES[kind], missed, n + warm))
            finally:
                t.stop()
        self.notes.append("figures 1-2: %d samples per trigger after %d warm-up starts; %d files per run directory,"
                          " sentinel %s 30 ms after them, 0-250 ms apart; runs stay ACTIVE at the stub" % (n, warm, self.size["files"],
                                                                                           SENTINEL))

    def await_start(self, flow_id, name, timeout):
        """The stub's entries for one run name of one flow, once there is one; [] after timeout s."""
        end = time.monotonic() + timeout
        seen = 0
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return []
            got = self.stub.starts(flow_id, wait=seen + 1, timeout=round(left, 3))
            mine = [s for s in got if key_of(s[1]) == name]
            if mine:
                return mine
            seen = len(got)

    # figures 5, 4, 3: one tree of N run directories, started by flowwatch, then watched by all three

    def tree(self):
        n = self.size["tree"]
        watch = self.fresh("tree")
        t = time.monotonic()
        for i in range(n):
            self.write_run(watch, "run%05d" % i, self.size["files"], sentinel=True)
        print("  wrote %d run directories of %d files and a sentinel in %.1f s" % (n, self.size["files"],
                                                                                  time.monotonic() - t), flush=True)
        return watch

    def catch_up(self, watch):
        """Figure 5, and the ledger figures 3 and 4 start from: every directory started and ended."""
        n = self.size["tree"]
        flow_id = str(uuid.uuid4())
        state = os.path.join(self.scratch, "f5-state")
        names = ["run%05d" % i for i in range(n)]
        self.stub.config(delay_ms=0, finish_after=RUNS_LAST)
        t = self.start("flowwatch", "f5", watch, flow_id, state=state)
        try:
            got = self.stub.starts(flow_id, wait=n, timeout=self.size["catchup_timeout"])
            time.sleep(1)
            got = self.stub.starts(flow_id)
            keys = {key_of(s[1]) for s in got}
            if len(keys) >= n:
                took = (max(s[0] for s in got) - t.exec_ns) / 1e9
                self.results[("catchup", "flowwatch")] = took
            else:
                self.results[("catchup", "flowwatch")] = "> %d s (%d of %d)" % (self.size["catchup_timeout"], len(keys), n)
                self.failed.append("figure 5: flowwatch started %d of %d within %d s" % (len(keys), n,
                                                                                        self.size["catchup_timeout"]))
            self.violations.check(5, "flowwatch", got, names)
            # Now let every run end, and wait until flowwatch has seen them all end: figures 3 and 4 want a
            # ledger of finished directories.
            self.stub.config(finish_after=0)
            end = time.monotonic() + self.size["end_timeout"]
            ended = 0
            while time.monotonic() < end:
                ended = t.log_text().count(" SUCCEEDED run ")
                if ended >= n:
                    break
                time.sleep(1)
            self.notes.append("figure 5: runs ACTIVE at the stub until all started; then ended, and flowwatch saw"
                              " %d of %d end within %.0f s" % (ended, n, time.monotonic() - end + self.size["end_timeout"]))
        finally:
            t.stop()
        status = subprocess.run([os.path.join(REPO, "flowwatch"), "--state-dir", state, "status", "--json"],
                                env=self.env("f5-status"), capture_output=True)
        if status.returncode != 0:
            raise RaceError("flowwatch status --json exited %d: %s" % (status.returncode, status.stderr.decode()[-500:]))
        rows = json.loads(status.stdout)
        states = collections.Counter(r["state"] for r in rows)
        tries = collections.Counter(r["attempts"] for r in rows)
        self.notes.append("figure 5: flowwatch's ledger after it: %s; attempts %s" % (dict(states), dict(tries)))
        if len(rows) != n or any(a != 1 for a in tries):
            self.violations.report("flowwatch", "figure 5, flowwatch: the ledger has %d rows (want %d), attempts %s"
                                   % (len(rows), n, dict(tries)))
        return flow_id, state

    def startup_and_idle(self, watch, fw_flow, fw_state):
        n = self.size["tree"]
        state = os.path.join(self.scratch, "f34-state")
        shutil.copytree(fw_state, state)  # figure 5's ledger, copied so each figure has a state of its own
        self.stub.config(delay_ms=0, finish_after=0)
        flows = {"flowwatch": fw_flow, "gfte": str(uuid.uuid4()), "frib": str(uuid.uuid4())}
        running = []
        try:
            for kind in TRIGGERS:
                t = self.start(kind, "f34", watch, flows[kind], frib=FRIB_IDLE, state=state)
                running.append(t)
                t.await_ready()
                cpu, secs = t.await_quiet()
                self.results[("startup", kind)] = cpu
                self.notes.append("figure 4: %s quiet %.1f s after exec" % (NAMES[kind], secs))
            time.sleep(self.size["settle_idle"])
            before = {t.kind: t.cpu() for t in running}
            time.sleep(self.size["idle"])
            for t in running:
                used = t.cpu() - before[t.kind]
                self.results[("idle_cpu", t.kind)] = used / self.size["idle"] * 60
                self.results[("idle_rss", t.kind)] = (memory_kb(t.pid, "VmRSS") / 1024, memory_kb(t.pid, "VmHWM") / 1024)
        finally:
            for t in running:
                t.stop()
        # Nothing may start: flowwatch's are all finished, the others' were there before them.
        self.violations.check("3-4", "flowwatch", self.stub.starts(flows["flowwatch"]), ["run%05d" % i for i in range(n)])
        for kind in ("gfte", "frib"):
            self.violations.check("3-4", kind, self.stub.starts(flows[kind]), [])
        self.notes.append("figures 3-4: all three watch the same tree at once; idle measured over %d s, %d s after"
                          " the last one went quiet" % (self.size["idle"], self.size["settle_idle"]))

    # figure 6

    def burst(self):
        b = self.size["burst"]
        self.stub.config(delay_ms=20, finish_after=RUNS_LAST)
        try:
            for kind in TRIGGERS:
                flow_id = str(uuid.uuid4())
                watch = self.fresh("f6-%s-watch" % kind)
                t = self.start(kind, "f6", watch, flow_id, frib=FRIB_FAST)
                try:
                    t.await_ready()
                    t.await_quiet()
                    # Twice: a fresh process, then the same one again, compiled by its first burst.
                    names = []
                    for key, first in (("burst", 0), ("burst_again", b)):
                        batch = ["run%05d" % i for i in range(first, first + b)]
                        if first:
                            t.await_quiet()
                        names += batch
                        self.results[(key, kind)], written = self.one_burst(watch, flow_id, batch)
                        self.notes.append("figure 6: %s: the writer made %s %d directories in %.2f s"
                                          % (NAMES[kind], "the second" if first else "the", b, written))
                    self.violations.check(6, kind, self.stub.starts(flow_id), names)
                finally:
                    t.stop()
        finally:
            self.stub.config(delay_ms=0)

    def one_burst(self, watch, flow_id, names):
        """Writes the run directories `names` at once; returns (seconds from the first write until the last of
        them started, or why not all did; the writer's seconds)."""
        b = len(names)
        mine = set(names)
        before_batch = len(self.stub.starts(flow_id))  # the earlier bursts' starts
        t0 = now_ns()
        for name in names:
            self.write_run(watch, name, 1, sentinel=True)
        written = (now_ns() - t0) / 1e9

        # Until every directory has started, not until b starts came (doubles are starts too), or until no
        # start has come for STALL s: a trigger that missed a directory never starts it.
        end = time.monotonic() + self.size["burst_timeout"]
        got, missing, stalled, progress, seen = [], b, False, time.monotonic(), before_batch
        while missing > 0 and time.monotonic() < end and not stalled:
            before = len(got)
            # At least `missing` more starts of any burst than the last look saw: each look waits for news.
            every = self.stub.starts(flow_id, wait=seen + missing,
                                     timeout=round(min(STALL, end - time.monotonic()), 3))
            seen = len(every)
            got = [s for s in every if key_of(s[1]) in mine]
            missing = b - len({key_of(s[1]) for s in got})
            if len(got) > before:
                progress = time.monotonic()
            # By time, not by call: a late double of an earlier burst also ends a wait.
            stalled = time.monotonic() - progress >= STALL
        time.sleep(1)  # a late duplicate would arrive now
        got = [s for s in self.stub.starts(flow_id) if key_of(s[1]) in mine]
        distinct = len({key_of(s[1]) for s in got})
        if distinct >= b:
            return (max(s[0] for s in got) - t0) / 1e9, written
        # Distinct directories started: a trigger that doubles some starts and misses others must not look
        # as if it reached the whole burst.
        return "never (%d of %d started, %d doubled; %s)" % (
            distinct, b, len(got) - distinct,
            "no start for %d s" % STALL if stalled else "> %d s" % self.size["burst_timeout"]), written

    # figure 7

    def dry_run(self):
        def measure(argv, env):
            walls, rss = [], []
            for _ in range(self.size["dry"]):
                t0 = time.monotonic()
                p = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                # wait4 gives this child's own peak RSS (getrusage(RUSAGE_CHILDREN) would be the maximum of
                # every child so far, the big agents of the other figures included).
                _, status, usage = os.wait4(p.pid, 0)
                walls.append(time.monotonic() - t0)
                rss.append(usage.ru_maxrss / 1024)
                p.returncode = os.waitstatus_to_exitcode(status)
                err = p.stderr.read().decode(errors="replace")
                p.stderr.close()
                if p.returncode != 0:
                    raise RaceError("%s exited %d: %s" % (" ".join(argv), p.returncode, err[-500:]))
            return statistics.median(walls), statistics.median(rss)

        env = self.env("f7")
        env["FRIB_DTN_ROOT"] = os.path.join(REPO, "examples", "sci-dtn")
        fw = measure([os.path.join(REPO, "flowwatch"), "--dry-run", "--rundir",
                      "examples/sci-dtn/e21062_2/rawdata/run1217"], env)
        java = measure([os.environ.get("JAVA", "java"), "-version"], env)
        self.results[("dry_wall", "flowwatch")], self.results[("dry_rss", "flowwatch")] = fw
        self.results[("dry_wall", "java")], self.results[("dry_rss", "java")] = java
        archive = os.path.join(REPO, "target", "flowwatch.jsa")
        self.notes.append("figure 7: median of %d runs each, from %s; class archive %s" % (
            self.size["dry"], REPO, "present" if os.path.exists(archive) else "MISSING (run mvn package)"))

    # running and printing

    def run(self):
        self.stub = Stub(self.scratch)
        try:
            steps = []
            if self.only & {"1", "2"}:
                steps.append(("1-2 latency and CPU per start", self.latency))
            if self.only & {"3", "4", "5"}:
                steps.append(("5, 4, 3 catch-up, start-up, idle", self.tree_figures))
            if "6" in self.only:
                steps.append(("6 burst", self.burst))
            if "7" in self.only:
                steps.append(("7 dry run", self.dry_run))
            for title, step in steps:
                print("figure %s ..." % title, flush=True)
                t = time.monotonic()
                try:
                    step()
                except RaceError as e:
                    self.failed.append("figure %s: %s" % (title, e))
                    print("  could not measure: %s" % e, flush=True)
                print("  done in %.0f s" % (time.monotonic() - t), flush=True)
        finally:
            self.stub.stop()

    def tree_figures(self):
        watch = self.tree()
        flow_id, state = self.catch_up(watch)
        if self.only & {"3", "4"}:
            self.startup_and_idle(watch, flow_id, state)

    def table(self):
        s = self.size
        n, b = "{:,}".format(s["tree"]), "{:,}".format(s["burst"])
        rows = [
            ("1", "p50", "sentinel -> start request, p50 (ms)", "ms"),
            ("1", "p99", "sentinel -> start request, p99 (ms)", "ms"),
            ("2", "cpu_start", "CPU per start (ms)", "ms"),
            ("3", "idle_cpu", "idle, %s finished dirs, CPU-s per minute (±%.2f)" % (n, 60 / TICK / s["idle"]),
             "cpu"),
            ("3", "idle_rss", "idle, %s finished dirs, RSS / peak (MB)" % n, "mb2"),
            ("4", "startup", "start-up CPU, %s-dir tree (s)" % n, "s"),
            ("5", "catchup", "%s dirs present at start -> all started (s)" % n, "s"),
            ("6", "burst", "%s ready at once, stub answering in 20 ms -> all started (s)" % b, "s"),
            ("6", "burst_again", "%s more at once, to the same process (s)" % b, "s"),
            ("7", "dry_wall", "`--dry-run --rundir` bundled example, wall (s)", "s"),
            ("7", "dry_rss", "`--dry-run --rundir` bundled example, max RSS (MB)", "mb"),
        ]
        head = "| # | figure | flowwatch | GFTE-style | FRIB-style | java -version | flowwatch/GFTE | flowwatch/FRIB | flowwatch/java |"
        out = [head, "|" + "---|" * 9]
        for fig, key, title, unit in rows:
            if fig not in self.only:
                continue
            cells = []
            for kind in ("flowwatch", "gfte", "frib", "java"):
                v = self.results.get((key, kind))
                if v is None and fig == "5" and kind in ("gfte", "frib"):
                    cells.append("cannot")
                else:
                    cells.append(fmt(v, unit))
            fw = self.results.get((key, "flowwatch"))
            for kind in ("gfte", "frib", "java"):
                cells.append(ratio(fw, self.results.get((key, kind))))
            out.append("| %s | %s | %s |" % (fig, title, " | ".join(cells)))
        counts = self.violations.count
        out.append("| all | exactly-once breaches (double or missed starts) | %s | %s | %s | | | | |"
                   % tuple(counts.get(k, 0) for k in TRIGGERS))
        return "\n".join(out)


def fmt(v, unit):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if unit == "mb2":
        return "%.0f / %.0f" % v
    if unit == "mb":
        return "%.0f" % v
    if unit == "cpu":
        return "%.3f" % v
    if unit == "ms":
        return "%.1f" % v if v < 100 else "%.0f" % v
    return "%.2f" % v if v < 10 else "%.1f" % v


def ratio(a, b):
    a = a[0] if isinstance(a, tuple) else a  # RSS / peak: the ratio of the RSS
    b = b[0] if isinstance(b, tuple) else b
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b <= 0:
        return ""
    return "%.2f×" % (a / b) if a / b < 100 else "%.0f×" % (a / b)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--quick", action="store_true", help="fewer directories and shorter windows (about 5 min)")
    p.add_argument("--only", nargs="+", choices=list("1234567"), metavar="FIGURE", help="figures to measure, 1-7")
    p.add_argument("--scratch", help="directory for trees, configs, ledgers and logs (kept); default a new one in"
                   " /tmp, deleted unless something went wrong")
    p.add_argument("--tree", type=int, metavar="N", help="run directories in the tree of figures 3-5 (default 10,000;"
                   " the issue's second target is 100,000)")
    p.add_argument("--build", action="store_true", help="build the jar first (mvn -B -o -q package -DskipTests)")
    args = p.parse_args()

    if args.build:
        subprocess.run(["mvn", "-B", "-o", "-q", "package", "-DskipTests"], cwd=REPO, check=True)
    jar = os.path.join(REPO, "target", "flowwatch.jar")
    if not os.path.exists(jar):
        sys.exit("race: %s not found; build it once with 'mvn -B -o -q package -DskipTests' in %s, or pass --build"
                 % (jar, REPO))
    if subprocess.run([PYTHON, "-c", "import watchdog"], capture_output=True).returncode != 0:
        sys.exit("race: %s cannot import watchdog, which the GFTE-style trigger needs; run bench/install-bench-deps.sh"
                 % PYTHON)
    keep = args.scratch is not None
    if keep:
        os.makedirs(args.scratch, exist_ok=True)
        if os.listdir(args.scratch):
            sys.exit("race: the scratch directory %s is not empty; give a new or empty one" % args.scratch)
    else:
        args.scratch = tempfile.mkdtemp(prefix="flowwatch-race-")
    args.scratch = os.path.abspath(args.scratch)

    race = Race(args)
    s = race.size
    started = time.monotonic()
    print("flowwatch race (%s): N = %d run directories, burst B = %d, idle window %d s; scratch %s"
          % ("QUICK: smaller than the issue's figures" if args.quick else "full", s["tree"], s["burst"], s["idle"],
             args.scratch), flush=True)
    print("  jar %s (built %s)" % (jar, time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(jar)))))
    try:
        race.run()
    finally:
        print()
        print(race.table())
        print()
        print("settings: flowwatch watch: %s; GFTE-style: inotify (watchdog), sentinel %s, one start at a time;"
              % (", ".join("%s %s" % kv for kv in FLOWWATCH_WATCH.items()), SENTINEL))
        print("  FRIB-style: interval %(interval)s s, trigger delay %(trigger_delay)s s, recheck %(recheck)s s in"
              " figures 1, 2, 6;" % FRIB_FAST + " interval %(interval)s s, trigger delay %(trigger_delay)s s, recheck"
              " %(recheck)s s in figures 3, 4" % FRIB_IDLE)
        for note in race.notes:
            print("  " + note)
        for f in race.failed:
            print("NOT MEASURED: " + f)
        if race.violations.found:
            print("!!! %d VIOLATION(S) of exactly-once (%d by flowwatch):" % (len(race.violations.found),
                                                                             len(race.violations.flowwatch())))
            for _, v in race.violations.found:
                print("!!!   " + v)
        else:
            print("exactly once: every run directory started once, none missed, in every figure measured")
        print("took %.0f s%s" % (time.monotonic() - started, "; QUICK run: N and B are smaller than the issue's"
                                 " (10,000 and 1,000), so figures 3-6 are not comparable with its targets" if args.quick else ""))
        bad = race.violations.found or race.failed
        if keep or bad:
            print("scratch kept: " + args.scratch)
        else:
            shutil.rmtree(args.scratch, ignore_errors=True)
    return 1 if race.violations.flowwatch() or race.failed else 0


if __name__ == "__main__":
    sys.exit(main())
