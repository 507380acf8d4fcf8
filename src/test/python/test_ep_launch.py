"""The endpoint kit (ep_launch/) against a stand-in globus-compute-endpoint that enforces the layout of
4.10.1 and later (manager config.yaml, engine in user_config_template.yaml.j2): configs rendered from
templates without editing files in place, only the kit's own endpoints touched, bounded restarts."""

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import time

from hpc_testing import REPO, STANDINS, TempDirTest

KIT = os.path.join(REPO, "ep_launch")
NAMES = ["frib-fit-mpi", "frib-convert", "frib-analysis"]
FILES = ["config.yaml", "user_config_template.yaml.j2"]
# The engine of a block that shares its node (exclusive: false) and of one that owns it.
OWNS_ITS_NODE = {"frib-fit-mpi": True, "frib-convert": True, "frib-analysis": False}


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def kit_templates(kit=KIT):
    return sorted(glob.glob(os.path.join(kit, "*.in")))


class EndpointKitTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.compute_dir = self.path("globus_compute")
        os.makedirs(self.compute_dir)
        self.calls = self.path("calls")
        self.env = {
            "PATH": STANDINS + ":" + os.environ["PATH"], "HOME": self.dir,
            "GLOBUS_COMPUTE_USER_DIR": self.compute_dir, "FAKE_GCE_CALLS": self.calls,
            "FW_ENV_FILE": os.path.join(KIT, "frib.env"),
        }
        self.templates = {t: digest(t) for t in kit_templates()}

    def kit(self, script, *args, kit=KIT, **env):
        merged = dict(self.env)
        merged.update(env)
        return subprocess.run([os.path.join(kit, script)] + list(args), env=merged, capture_output=True, text=True,
                              timeout=60, check=False, input="")

    def gce(self, *args, stdin=""):
        """The stand-in itself, outside the kit; its calls are not recorded with the kit's."""
        env = dict(self.env, FAKE_GCE_CALLS=self.path("own-calls"))
        return subprocess.run([os.path.join(STANDINS, "globus-compute-endpoint")] + list(args), env=env,
                              capture_output=True, text=True, timeout=30, check=False, input=stdin)

    def gce_calls(self):
        if not os.path.exists(self.calls):
            return []
        with open(self.calls, encoding="utf-8") as f:
            return f.read().splitlines()

    def endpoint(self, name, running):
        """An endpoint as 'globus-compute-endpoint configure' leaves it, running or not."""
        if not os.path.isdir(os.path.join(self.compute_dir, name)):
            done = self.gce("configure", name)
            self.assertEqual(0, done.returncode, done.stderr)
        pid = os.path.join(self.compute_dir, name, "daemon.pid")
        if running:
            self.write(os.path.join("globus_compute", name, "daemon.pid"), "1\n")
        elif os.path.exists(pid):
            os.remove(pid)

    def copy_of_the_kit(self):
        copy = self.path("kit")
        shutil.copytree(KIT, copy)
        return copy

    def start_user_endpoint(self, name):
        """What the manager does when a task arrives: render the template, start a user endpoint on it."""
        rendered = self.gce("render-user-config", "--endpoint", name)
        if rendered.returncode != 0:
            return rendered
        return self.gce("_start-user-endpoint", name,
                        stdin=json.dumps({"ep_info": {}, "amqp_creds": {}, "config": rendered.stdout}))

    def test_create_configures_renders_and_starts_each_endpoint(self):
        done = self.kit("create.sh", FW_QOS="debug")

        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["configure frib-fit-mpi", "list", "start --detach frib-fit-mpi",
                          "configure frib-convert", "list", "start --detach frib-convert",
                          "configure frib-analysis", "list", "start --detach frib-analysis"], self.gce_calls())
        manager = self.read("globus_compute/frib-fit-mpi/config.yaml")
        self.assertIn("\ndisplay_name: frib-fit-mpi\n", manager)
        self.assertNotRegex(manager, r"(?m)^engine:", "the engine belongs in the template since 4.10.1")
        template = self.read("globus_compute/frib-fit-mpi/user_config_template.yaml.j2")
        self.assertIn("\nengine:\n  type: GlobusComputeEngine\n", template)
        self.assertIn("    type: SlurmProvider\n", template)
        self.assertIn("    account: m4386\n", template, "from the env file")
        self.assertIn("    qos: debug\n", template, "the environment wins over the env file")
        self.assertIn("    constraint: cpu\n", template)
        self.assertIn('scheduler_options: "#SBATCH --licenses=scratch,cfs --nodes=1 --ntasks=1 --cpus-per-task=128"',
                      template)
        self.assertIn("    worker_init: 'module load python; source %s/flowwatch/venv/bin/activate; set -a;"
                      ' . "%s"; set +a\'\n' % (self.dir, os.path.join(KIT, "frib.env")), template)
        self.assertNotIn("${FW_", manager + template)
        self.assertEqual("display_name: null\n", self.read("globus_compute/frib-fit-mpi/config.yaml.previous"),
                         "what configure wrote is kept")
        self.assertTrue(os.path.exists(self.path("globus_compute/frib-fit-mpi/user_config_template.yaml.j2.previous")))
        for name in NAMES:
            self.assertTrue(os.path.exists(self.path("globus_compute", name, "daemon.pid")), name + " runs")
            for file in FILES:
                mode = os.stat(self.path("globus_compute", name, file)).st_mode & 0o777
                self.assertEqual(0o600, mode, "%s/%s" % (name, file))
        self.assertEqual(self.templates, {t: digest(t) for t in kit_templates()}, "templates are never edited")

    def test_every_endpoint_starts_a_user_endpoint_with_quoted_walltimes_and_explicit_exclusive(self):
        self.assertEqual(0, self.kit("create.sh").returncode)

        for name in NAMES:
            started = self.start_user_endpoint(name)
            self.assertEqual(0, started.returncode, name + ": " + started.stderr)
            with open(self.path("globus_compute", name, "user_endpoint.json"), encoding="utf-8") as f:
                provider = json.load(f)["engine"]["provider"]
            self.assertEqual("SlurmProvider", provider["type"], name)
            self.assertRegex(provider["walltime"], r"^\d\d:\d\d:\d\d$", name + ": a string, as Parsl needs")
            self.assertIn("exclusive", provider, name + ": set in the file, not left to Parsl's default (true)")
            self.assertIs(OWNS_ITS_NODE[name], provider["exclusive"], name)
            if not provider["exclusive"]:
                self.assertRegex(provider["scheduler_options"], r"--cpus-per-task=\d+ --mem=\d+G",
                                 name + ": a shared block says how much of the node it takes")
        for template in glob.glob(os.path.join(KIT, "user_config_template-*.yaml.j2.in")):
            with open(template, encoding="utf-8") as f:
                text = f.read()
            self.assertRegex(text, r'(?m)^    walltime: "\d\d:\d\d:\d\d"$', template)
            self.assertRegex(text, r"(?m)^    exclusive: (true|false)$", template)

    def test_the_stand_in_refuses_the_old_layout_with_the_engine_in_config_yaml(self):
        self.assertEqual(0, self.kit("create.sh", "--render-only", self.path("rendered"), "frib-analysis").returncode)
        self.endpoint("frib-analysis", running=False)
        # The kit before 4.10.1: one config.yaml holding the display name and the engine.
        self.write("globus_compute/frib-analysis/config.yaml", self.read("rendered/frib-analysis/config.yaml")
                   + self.read("rendered/frib-analysis/user_config_template.yaml.j2"))

        refused = self.kit("gce", "start", "frib-analysis")

        self.assertEqual(1, refused.returncode)
        self.assertIn("Configuration for endpoint frib-analysis contains an `engine` field; endpoint will not start."
                      " (Hint: move the `engine` block to `user_config_template.yaml.j2`)", refused.stderr)
        self.assertFalse(os.path.exists(self.path("globus_compute/frib-analysis/daemon.pid")))

    def test_the_stand_in_refuses_what_the_manager_refuses(self):
        self.endpoint("frib-convert", running=False)
        config = "globus_compute/frib-convert/config.yaml"

        self.write(config, "display_name: frib-convert\nmulti_user: true\n")
        unknown = self.gce("start", "--detach", "frib-convert")
        self.assertEqual(1, unknown.returncode)
        self.assertIn("validation error for BaseConfig.__init__\nmulti_user\n  Unexpected keyword argument",
                      unknown.stderr, "multi_user was removed in 4.10.1")

        self.write(config, "display_name: frib-convert\npublic: maybe\n")
        self.assertIn("public\n  Input should be a valid boolean", self.gce("start", "--detach", "frib-convert").stderr)

        self.write(config, "display_name: [frib\n")
        self.assertIn("Error: Invalid config syntax:", self.gce("start", "--detach", "frib-convert").stderr)

        self.write(config, "display_name: frib-convert\n")
        os.remove(self.path("globus_compute/frib-convert/user_config_template.yaml.j2"))
        missing = self.gce("start", "--detach", "frib-convert")
        self.assertEqual(1, missing.returncode)
        self.assertIn("No such file or directory: '%s/frib-convert/user_config_template.yaml'" % self.compute_dir,
                      missing.stderr)

        # Without an engine block the rendered config is read as a manager's (so only its keys may appear).
        self.write("globus_compute/frib-convert/user_config_template.yaml.j2", "display_name: {{ 'x' }}\n")
        self.assertEqual(0, self.gce("start", "--detach", "frib-convert").returncode)
        self.assertEqual(73, self.gce("start", "--detach", "frib-convert").returncode, "already running")
        no_engine = self.start_user_endpoint("frib-convert")
        self.assertEqual(1, no_engine.returncode)
        self.assertIn("is missing an `engine` field", no_engine.stderr)
        self.assertFalse(os.path.exists(self.path("globus_compute/frib-convert/user_endpoint.json")))

    def test_the_stand_in_runs_a_started_endpoint_in_the_foreground_without_detach(self):
        self.endpoint("frib-convert", running=False)
        env = dict(self.env, FAKE_GCE_CALLS=self.path("own-calls"))
        foreground = subprocess.Popen([os.path.join(STANDINS, "globus-compute-endpoint"), "start", "frib-convert"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(self.path("globus_compute/frib-convert/daemon.pid")):
                self.assertLess(time.monotonic(), deadline, "the endpoint never came up")
                time.sleep(0.05)
            time.sleep(0.5)
            self.assertIsNone(foreground.poll(), "without --detach the command runs the endpoint")
            self.assertEqual(0, self.gce("stop", "frib-convert").returncode)
            self.assertEqual(0, foreground.wait(timeout=10))
        finally:
            foreground.kill()
            foreground.wait()

    def test_an_unquoted_walltime_of_ten_hours_or_more_is_refused_where_parsl_would(self):
        kit = self.copy_of_the_kit()
        template = os.path.join(kit, "user_config_template-frib-analysis.yaml.j2.in")
        with open(template, encoding="utf-8") as f:
            text = f.read()
        with open(template, "w", encoding="utf-8") as f:
            f.write(text.replace('walltime: "04:00:00"', "walltime: 12:00:00"))
        self.assertEqual(0, self.kit("create.sh", "frib-analysis", kit=kit).returncode)

        refused = self.start_user_endpoint("frib-analysis")

        self.assertEqual(1, refused.returncode)
        self.assertIn('argument "walltime" (int) is not an instance of str', refused.stderr,
                      "YAML reads 12:00:00 as 43200")

    def test_render_only_writes_both_files_per_endpoint_elsewhere_and_calls_nothing(self):
        done = self.kit("create.sh", "--render-only", self.path("rendered"), "frib-analysis")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["frib-analysis"], os.listdir(self.path("rendered")))
        self.assertEqual(sorted(FILES), sorted(os.listdir(self.path("rendered/frib-analysis"))))
        self.assertIn("display_name: frib-analysis\n", self.read("rendered/frib-analysis/config.yaml"))
        self.assertIn("--mem=40G", self.read("rendered/frib-analysis/user_config_template.yaml.j2"))
        self.assertEqual([], self.gce_calls())

    def test_templates_fill_only_fw_placeholders_leaving_jinja_and_the_shell_alone(self):
        kit = self.copy_of_the_kit()
        with open(os.path.join(kit, "user_config_template-frib-convert.yaml.j2.in"), "a", encoding="utf-8") as f:
            f.write("{# a Jinja comment #}\n"
                    "endpoint_setup: {{ endpoint_setup|default('echo ${HOME} ${#PATH} ${FW_QOS}') }}\n")

        done = self.kit("create.sh", "--render-only", self.path("rendered"), "frib-convert", kit=kit)

        self.assertEqual(0, done.returncode, done.stderr)
        rendered = self.read("rendered/frib-convert/user_config_template.yaml.j2")
        self.assertTrue(rendered.endswith("{# a Jinja comment #}\n"
                                          "endpoint_setup: {{ endpoint_setup|default('echo ${HOME} ${#PATH} realtime') }}\n"),
                        rendered[-200:])
        by_jinja = self.gce("render-user-config", "--template", self.path("rendered/frib-convert/user_config_template.yaml.j2"))
        self.assertEqual(0, by_jinja.returncode, by_jinja.stderr)
        self.assertIn("endpoint_setup: echo ${HOME} ${#PATH} realtime\n", by_jinja.stdout)

    def test_a_value_jinja_would_read_as_its_own_syntax_is_refused_before_anything_is_touched(self):
        done = self.kit("create.sh", FW_WORKER_INIT="module load python; echo ${#PATH}")

        self.assertEqual(78, done.returncode)
        self.assertRegex(done.stderr, r"user_config_template-frib-fit-mpi\.yaml\.j2\.in:\d+: FW_WORKER_INIT holds")
        self.assertEqual(1, len(done.stderr.strip().splitlines()), done.stderr)
        self.assertEqual([], self.gce_calls())
        self.assertEqual([], os.listdir(self.compute_dir))

    def test_create_refuses_an_endpoint_whose_config_py_would_win(self):
        self.endpoint("frib-convert", running=True)
        self.write("globus_compute/frib-convert/config.py", "config = None\n")

        refused = self.kit("create.sh")

        self.assertEqual(78, refused.returncode)
        self.assertIn("frib-convert/config.py would be used instead of the config.yaml", refused.stderr)
        self.assertEqual([], self.gce_calls())
        self.assertEqual("display_name: null\n", self.read("globus_compute/frib-convert/config.yaml"))

    def test_create_restarts_a_running_endpoint_so_it_reads_the_new_config(self):
        self.endpoint("frib-convert", running=True)
        done = self.kit("create.sh", "frib-convert")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["list", "restart --detach frib-convert"], self.gce_calls())

    def test_a_missing_setting_stops_create_before_anything_is_touched(self):
        empty = self.write("empty.env", "# nothing\n")
        done = self.kit("create.sh", FW_ENV_FILE=empty, FW_WORKER_INIT="true")

        self.assertEqual(78, done.returncode)
        self.assertIn("needs FW_ACCOUNT FW_CONSTRAINT FW_EXTRA_SBATCH FW_QOS", done.stderr)
        self.assertEqual([], self.gce_calls())
        self.assertEqual([], os.listdir(self.compute_dir))

    def test_delete_touches_only_the_kits_endpoints(self):
        for name in NAMES + ["someone-elses-endpoint"]:
            self.endpoint(name, running=False)

        refused = self.kit("delete.sh", "--yes", "someone-elses-endpoint")
        self.assertEqual(64, refused.returncode)
        self.assertIn("refusing to touch it", refused.stderr)
        self.assertEqual([], self.gce_calls())

        unconfirmed = self.kit("delete.sh")
        self.assertEqual(1, unconfirmed.returncode)
        self.assertEqual([], self.gce_calls())

        done = self.kit("delete.sh", "--yes")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["delete --yes %s" % n for n in NAMES], self.gce_calls())
        self.assertEqual(["someone-elses-endpoint"], os.listdir(self.compute_dir))

    def test_monitor_restarts_with_bounded_retries(self):
        self.endpoint("frib-fit-mpi", running=True)
        self.endpoint("frib-convert", running=False)
        self.write("globus_compute/frib-convert/failing-restarts", "1\n")
        self.endpoint("frib-analysis", running=False)
        self.write("globus_compute/frib-analysis/failing-restarts", "99\n")

        done = self.kit("monitor.sh", "--once", FW_MONITOR_RETRIES="3", FW_MONITOR_RETRY_WAIT="0")

        self.assertEqual(1, done.returncode, done.stdout + done.stderr)
        restarts = [c for c in self.gce_calls() if c.startswith("restart")]
        self.assertEqual(["restart --detach frib-convert"] * 2 + ["restart --detach frib-analysis"] * 3, restarts)
        self.assertIn("Restarted frib-convert (attempt 2)", done.stdout)
        self.assertIn("ERROR: failed to restart frib-analysis after 3 attempts", done.stdout)
        self.assertIn("frib-fit-mpi on ", done.stdout)

    def test_gce_applies_one_verb_to_every_endpoint_and_passes_list_through(self):
        for name in NAMES:
            self.endpoint(name, running=False)
        done = self.kit("gce", "restart")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["restart --detach %s" % n for n in NAMES], self.gce_calls())

        listed = self.kit("gce", "list")
        self.assertIn("| Running | frib-convert |", listed.stdout)
        status = self.kit("gce", "status", "frib-convert")
        self.assertEqual("frib-convert             Running\n", status.stdout)
        stopped = self.kit("gce", "stop", "frib-convert")
        self.assertEqual(0, stopped.returncode, stopped.stderr)
        self.assertEqual("stop frib-convert", self.gce_calls()[-1], "stop takes no --detach")
        self.assertEqual(64, self.kit("gce", "explode").returncode)
        self.assertEqual(64, self.kit("gce", "stop", "someone-elses-endpoint").returncode)

    def test_the_scrontab_entry_is_a_singleton_with_an_appended_log(self):
        done = self.kit("gce", "scrontab")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertIn("#SCRON --dependency=singleton\n", done.stdout)
        self.assertIn("#SCRON --open-mode=append\n", done.stdout)
        self.assertIn("#SCRON --account=m4386\n", done.stdout)
        self.assertIn("#SCRON --output=%s/flowwatch/logs/endpoint-monitor.log\n" % self.dir, done.stdout)
        self.assertIn("0 * * * * FW_ENV_FILE=%s %s/monitor.sh\n" % (os.path.join(KIT, "frib.env"), KIT), done.stdout)

    def test_no_script_edits_a_file_in_place(self):
        for name in os.listdir(KIT):
            with open(os.path.join(KIT, name), encoding="utf-8") as f:
                self.assertNotIn("sed -i", f.read(), name)

    def test_every_endpoint_has_both_templates(self):
        names = sorted(re.sub(r"^config-(.*)\.yaml\.in$", r"\1", os.path.basename(p))
                       for p in glob.glob(os.path.join(KIT, "config-*.yaml.in")))
        self.assertEqual(sorted(NAMES), names)
        for name in names:
            self.assertTrue(os.path.isfile(os.path.join(KIT, "user_config_template-%s.yaml.j2.in" % name)), name)
