"""The endpoint kit (ep_launch/) against a stand-in globus-compute-endpoint: configs rendered from
templates without editing files in place, only the kit's own endpoints touched, bounded restarts."""

import hashlib
import os
import subprocess

from hpc_testing import REPO, STANDINS, TempDirTest

KIT = os.path.join(REPO, "ep_launch")
NAMES = ["frib-fit-mpi", "frib-convert", "frib-analysis"]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


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
        self.templates = {n: digest(os.path.join(KIT, "config-%s.yaml.in" % n)) for n in NAMES}

    def kit(self, script, *args, **env):
        merged = dict(self.env)
        merged.update(env)
        return subprocess.run([os.path.join(KIT, script)] + list(args), env=merged, capture_output=True, text=True,
                              timeout=60, check=False, input="")

    def gce_calls(self):
        if not os.path.exists(self.calls):
            return []
        with open(self.calls, encoding="utf-8") as f:
            return f.read().splitlines()

    def endpoint(self, name, running):
        os.makedirs(os.path.join(self.compute_dir, name), exist_ok=True)
        flag = os.path.join(self.compute_dir, name, "running")
        if running:
            open(flag, "w").close()
        elif os.path.exists(flag):
            os.remove(flag)

    def test_create_configures_renders_and_starts_each_endpoint(self):
        done = self.kit("create.sh", FW_QOS="debug")

        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["configure frib-fit-mpi", "list", "start frib-fit-mpi", "configure frib-convert", "list",
                          "start frib-convert", "configure frib-analysis", "list", "start frib-analysis"],
                         self.gce_calls())
        config = self.read("globus_compute/frib-fit-mpi/config.yaml")
        self.assertIn("    account: m4386\n", config, "from the env file")
        self.assertIn("    qos: debug\n", config, "the environment wins over the env file")
        self.assertIn("    constraint: cpu\n", config)
        self.assertIn('scheduler_options: "#SBATCH --licenses=scratch,cfs --nodes=1 --ntasks=1 --cpus-per-task=128"',
                      config)
        self.assertIn("    worker_init: 'module load python; source %s/flowwatch/venv/bin/activate; set -a;"
                      ' . "%s"; set +a\'\n' % (self.dir, os.path.join(KIT, "frib.env")), config)
        self.assertIn("  type: GlobusComputeEngine\n", config)
        self.assertIn("    type: SlurmProvider\n", config)
        self.assertNotIn("${", config)
        self.assertEqual("# default config of frib-fit-mpi\n",
                         self.read("globus_compute/frib-fit-mpi/config.yaml.previous"))
        self.assertEqual(self.templates, {n: digest(os.path.join(KIT, "config-%s.yaml.in" % n)) for n in NAMES},
                         "templates are never edited")

    def test_create_restarts_a_running_endpoint_so_it_reads_the_new_config(self):
        self.endpoint("frib-convert", running=True)
        done = self.kit("create.sh", "frib-convert")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["list", "restart frib-convert"], self.gce_calls())

    def test_a_missing_setting_stops_create_before_anything_is_touched(self):
        empty = self.write("empty.env", "# nothing\n")
        done = self.kit("create.sh", FW_ENV_FILE=empty, FW_WORKER_INIT="true")

        self.assertEqual(78, done.returncode)
        self.assertIn("needs FW_ACCOUNT FW_CONSTRAINT FW_EXTRA_SBATCH FW_QOS", done.stderr)
        self.assertEqual([], self.gce_calls())
        self.assertEqual([], os.listdir(self.compute_dir))

    def test_render_only_writes_configs_elsewhere_and_calls_nothing(self):
        done = self.kit("create.sh", "--render-only", self.path("rendered"), "frib-analysis")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["frib-analysis.yaml"], os.listdir(self.path("rendered")))
        self.assertIn("--mem=40G", self.read("rendered/frib-analysis.yaml"))
        self.assertEqual([], self.gce_calls())

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
        self.assertEqual(["restart frib-convert"] * 2 + ["restart frib-analysis"] * 3, restarts)
        self.assertIn("Restarted frib-convert (attempt 2)", done.stdout)
        self.assertIn("ERROR: failed to restart frib-analysis after 3 attempts", done.stdout)
        self.assertIn("frib-fit-mpi on ", done.stdout)

    def test_gce_applies_one_verb_to_every_endpoint_and_passes_list_through(self):
        for name in NAMES:
            self.endpoint(name, running=False)
        done = self.kit("gce", "restart")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(["restart %s" % n for n in NAMES], self.gce_calls())

        listed = self.kit("gce", "list")
        self.assertIn("| Running | frib-convert |", listed.stdout)
        status = self.kit("gce", "status", "frib-convert")
        self.assertEqual("frib-convert             Running\n", status.stdout)
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
