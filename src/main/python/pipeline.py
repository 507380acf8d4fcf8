"""Globus Compute functions of the FRIB analysis pipeline: fit, convert and analyze.

Each function takes the paths the flow passes (endpoint_id, input_path, output_path, log_dir), finds the
run's segments, runs a job script from slurm_jobs/ for each segment (fit, convert) or for the whole run
(analyze), and returns a JSON-serialisable summary. Any failure raises RuntimeError naming the failing
segment and ending with the tail of its log, so the flow's Catch sees it.

Registered with Globus Compute as source text ("st"): the endpoint execs this whole file in a fresh
namespace and takes the function by name. So the file is self-contained (standard library only, Python
3.10 or newer), the helpers live beside the functions, and nothing at module level may refer to
__name__ or __file__.

Settings, each read first from a keyword argument, then FLOWWATCH_<STAGE>_<NAME>, then FLOWWATCH_<NAME>
(STAGE is FIT, CONVERT or ANALYZE), then the default:

  launcher         direct | srun | sbatch   (direct: the endpoint already runs inside an allocation)
  job_dir          where the run_compute_*.sh scripts are       default ~/flowwatch/slurm_jobs
  log_dir          where job logs go (the flow passes compute_log_dir)   default ~/flowwatch/logs
  max_parallel     jobs at once                                  default 4
  time_limit       seconds for the whole call; jobs still running then are stopped
                   default 3300 (fit, convert), 14100 (analyze): just under the flow's WaitTime
  srun_options     extra srun options (one string, shell words)
  sbatch_options   extra sbatch options, e.g. "-A m4386 -q realtime -C cpu -c 128"
  env              (keyword only) a dict of extra environment variables for the job scripts
"""

import concurrent.futures
import os
import re
import shlex
import signal
import subprocess
import threading
import time

_STAGES = {
    "fit": {
        "script": "run_compute_fit_mpi.sh",
        "input": r"run-(\d+)-(\d+)\.evt",
        "output": "run-{run}-{seg}-fitted.evt",
        "example": "run-{run}-00.evt",
        "time_limit": 3300,
    },
    "convert": {
        "script": "run_compute_convert.sh",
        "input": r"run-(\d+)-(\d+)-fitted\.evt",
        "output": "run-{run}-{seg}-fitted.root",
        "example": "run-{run}-00-fitted.evt",
        "time_limit": 3300,
    },
    "analyze": {
        "script": "run_compute_analyze.sh",
        "input": r"run-(\d+)-(\d+)-fitted\.root",
        "output": "run-{run}-sorted.root",
        "example": "run-{run}-00-fitted.root",
        "time_limit": 14100,
    },
}

_LOG_TAIL_LINES = 40


def fit(endpoint_id=None, input_path=None, output_path=None, log_dir=None, **options):
    """Fits every raw segment run-RRRR-SS.evt of input_path into output_path (one MPI job each)."""
    return _run_stage("fit", endpoint_id, input_path, output_path, log_dir, options)


def convert(endpoint_id=None, input_path=None, output_path=None, log_dir=None, **options):
    """Converts every fitted segment run-RRRR-SS-fitted.evt of input_path to ROOT in output_path."""
    return _run_stage("convert", endpoint_id, input_path, output_path, log_dir, options)


def analyze(endpoint_id=None, input_path=None, output_path=None, log_dir=None, **options):
    """Sorts the run's converted segments in input_path into output_path/run-RRRR-sorted.root (one job)."""
    return _run_stage("analyze", endpoint_id, input_path, output_path, log_dir, options)


def _setting(stage, name, options, default):
    if name in options and options[name] is not None:
        return options[name]
    for variable in ("FLOWWATCH_%s_%s" % (stage.upper(), name.upper()), "FLOWWATCH_%s" % name.upper()):
        value = os.environ.get(variable)
        if value:
            return value
    return default


def _positive_int(stage, name, options, default):
    value = _setting(stage, name, options, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValueError("%s: %s must be a positive whole number, got %r" % (stage, name, value))
    return number


def _run_number(stage, input_path):
    match = re.fullmatch(r"run-?0*(\d+)", os.path.basename(os.path.normpath(input_path)))
    if not match:
        raise ValueError(
            "%s: cannot tell the run number from %s: the directory must be named run<number> (e.g. run1217)"
            % (stage, input_path))
    return int(match.group(1))


def _segments(stage, input_path, run):
    """The segment numbers found for the run, sorted; names must be zero-padded (run %04d, segment %02d)."""
    pattern = re.compile(_STAGES[stage]["input"])
    found, misnamed = [], []
    for name in sorted(os.listdir(input_path)):
        match = pattern.fullmatch(name)
        if match and int(match.group(1)) == run:
            if match.group(1) != "%04d" % run or match.group(2) != "%02d" % int(match.group(2)):
                misnamed.append(name)
            else:
                found.append(int(match.group(2)))
    if misnamed:
        raise RuntimeError("%s: %s holds %s, but run numbers must be written %%04d and segments %%02d (run-%04d-00...)"
                           % (stage, input_path, ", ".join(misnamed), run))
    if not found:
        raise RuntimeError("%s: no segments of run %04d in %s (expected names like %s)"
                           % (stage, run, input_path, _STAGES[stage]["example"].format(run="%04d" % run)))
    return found


def _run_stage(stage, endpoint_id, input_path, output_path, log_dir, options):
    started = time.monotonic()
    if not input_path or not output_path:
        raise ValueError("%s: input_path and output_path are required" % stage)
    if not os.path.isdir(input_path):
        raise RuntimeError("%s: input directory %s does not exist (did the previous step run?)" % (stage, input_path))
    run = _run_number(stage, input_path)
    segments = _segments(stage, input_path, run)

    launcher = str(_setting(stage, "launcher", options, "direct"))
    if launcher not in ("direct", "srun", "sbatch"):
        raise ValueError("%s: launcher must be direct, srun or sbatch, got %r" % (stage, launcher))
    job_dir = os.path.expanduser(str(_setting(stage, "job_dir", options, "~/flowwatch/slurm_jobs")))
    script = os.path.join(job_dir, _STAGES[stage]["script"])
    if not os.access(script, os.X_OK):
        raise RuntimeError("%s: job script %s is missing or not executable (set FLOWWATCH_JOB_DIR to the"
                           " slurm_jobs directory)" % (stage, script))
    log_dir = os.path.expanduser(str(log_dir or _setting(stage, "log_dir", options, "~/flowwatch/logs")))
    os.makedirs(log_dir, exist_ok=True)
    os.makedirs(output_path, exist_ok=True)
    max_parallel = _positive_int(stage, "max_parallel", options, 4)
    time_limit = _positive_int(stage, "time_limit", options, _STAGES[stage]["time_limit"])

    env = dict(os.environ)
    env.update({str(k): str(v) for k, v in (options.get("env") or {}).items()})
    env.update({"FW_INPUT_DIR": input_path, "FW_OUTPUT_DIR": output_path, "FW_LOG_DIR": log_dir,
                "FW_JOB_DIR": job_dir})
    deadline = started + time_limit
    context = {
        "stage": stage, "launcher": launcher, "script": script, "env": env, "log_dir": log_dir,
        "deadline": deadline, "time_limit": time_limit, "stop": threading.Event(),
        "srun_options": shlex.split(str(_setting(stage, "srun_options", options, ""))),
        "sbatch_options": shlex.split(str(_setting(stage, "sbatch_options", options, ""))),
    }
    run_text = "%04d" % run
    if stage == "analyze":
        jobs = [{"segment": None, "args": [run_text, str(len(segments))],
                 "output": _STAGES[stage]["output"].format(run=run_text)}]
    else:
        jobs = [{"segment": seg, "args": [run_text, "%02d" % seg],
                 "output": _STAGES[stage]["output"].format(run=run_text, seg="%02d" % seg)} for seg in segments]

    workers = min(max_parallel, len(jobs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda job: _run_job(context, job, run_text, output_path), jobs))

    summary = {
        "stage": stage,
        "run": run,
        "endpoint_id": endpoint_id,
        "input_path": input_path,
        "output_path": output_path,
        "log_dir": log_dir,
        "launcher": launcher,
        "segments_found": segments,
        "jobs": results,
        "outputs": [r["output"] for r in results if r.get("ok")],
        "seconds": round(time.monotonic() - started, 3),
    }
    failed = [r for r in results if not r.get("ok")]
    summary["ok"] = not failed
    if failed:
        raise RuntimeError(_failure_message(stage, run_text, failed, results))
    return summary


def _job_name(context, run_text, job):
    seg = "" if job["segment"] is None else "-%02d" % job["segment"]
    return "fw-%s-run-%s%s" % (context["stage"], run_text, seg)


def _command(context, name, args):
    script = context["script"]
    remaining = max(1, int(context["deadline"] - time.monotonic()))
    if context["launcher"] == "srun":
        return (["srun", "--job-name=" + name, "--nodes=1", "--ntasks=1", "--time=%d" % _minutes(remaining)]
                + context["srun_options"] + [script] + args)
    if context["launcher"] == "sbatch":
        return (["sbatch", "--wait", "--parsable", "--job-name=" + name,
                 "--output=" + os.path.join(context["log_dir"], name + "-%j.slurm.out"),
                 "--time=%d" % _minutes(remaining)] + context["sbatch_options"] + [script] + args)
    return [script] + args


def _minutes(seconds):
    return max(1, -(-seconds // 60))


def _run_job(context, job, run_text, output_path):
    name = _job_name(context, run_text, job)
    result = {"segment": job["segment"], "job_name": name, "exit_code": None, "job_id": None, "state": None,
              "log": None, "output": os.path.join(output_path, job["output"]), "seconds": 0.0, "ok": False}
    if context["stop"].is_set():
        result["state"] = "NOT_STARTED"
        result["error"] = "not started: an earlier job failed"
        return result
    if time.monotonic() >= context["deadline"]:
        result["state"] = "NOT_STARTED"
        result["error"] = "not started: the time limit of %d s was reached" % context["time_limit"]
        return result
    started = time.monotonic()
    command = _command(context, name, job["args"])
    lines = []
    try:
        process = subprocess.Popen(command, env=context["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace", start_new_session=True)
    except OSError as e:
        result["state"] = "NOT_STARTED"
        result["error"] = "could not start %s: %s" % (command[0], e)
        result["tail"] = ""
        context["stop"].set()
        return result
    reader = threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    timed_out = False
    try:
        process.wait(timeout=max(0.0, context["deadline"] - time.monotonic()))
    except subprocess.TimeoutExpired:
        timed_out = True
        _stop(context, process, lines)
    reader.join(timeout=10)
    result["seconds"] = round(time.monotonic() - started, 3)
    result["exit_code"] = process.returncode
    output = list(lines)
    if context["launcher"] == "sbatch":
        result["job_id"] = _sbatch_job_id(output)
        slurm_out = os.path.join(context["log_dir"], "%s-%s.slurm.out" % (name, result["job_id"]))
        if result["job_id"] and os.path.exists(slurm_out):
            output = output + _read_text(slurm_out).splitlines()
        if result["job_id"]:
            result["state"], slurm_code = _slurm_state(result["job_id"])
            if result["exit_code"] == 0 and slurm_code not in (None, 0):
                result["exit_code"] = slurm_code
    result["log"] = _log_path(output)
    result["tail"] = _tail(result["log"], output)
    if timed_out:
        result["state"] = "TIMEOUT"
        result["error"] = "stopped: the time limit of %d s was reached" % context["time_limit"]
    elif result["exit_code"] != 0:
        result["error"] = "exited with %s" % result["exit_code"]
    elif not os.path.isfile(result["output"]):
        result["error"] = "exited 0 but %s is missing" % result["output"]
    else:
        result["ok"] = True
        result["state"] = result["state"] or "COMPLETED"
        del result["tail"]
        return result
    result["state"] = result["state"] or "FAILED"
    context["stop"].set()
    return result


def _read_lines(stream, lines):
    for line in stream:
        lines.append(line.rstrip("\n"))
    stream.close()


def _read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _stop(context, process, lines):
    """Stops a job at the time limit: scancel for sbatch, then the launcher's process group."""
    if context["launcher"] == "sbatch":
        job_id = _sbatch_job_id(lines)
        if job_id:
            subprocess.run(["scancel", job_id], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _sbatch_job_id(lines):
    """sbatch --parsable prints "<id>" or "<id>;<cluster>" first."""
    for line in lines:
        match = re.fullmatch(r"(\d+)(;\S+)?", line.strip())
        if match:
            return match.group(1)
    return None


def _slurm_state(job_id):
    """(JobState, exit code) from scontrol while Slurm still remembers the job; (None, None) after."""
    try:
        shown = subprocess.run(["scontrol", "show", "job", "-o", job_id], capture_output=True, text=True,
                               timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None, None
    state = re.search(r"\bJobState=(\S+)", shown)
    code = re.search(r"\bExitCode=(\d+):(\d+)", shown)
    exit_code = None
    if code:
        exit_code = int(code.group(1)) or (128 + int(code.group(2)) if int(code.group(2)) else 0)
    return (state.group(1) if state else None), exit_code


def _log_path(output):
    """The job script's own log, which it names on its first line ("fw: log PATH")."""
    for line in output:
        if line.startswith("fw: log "):
            return line[len("fw: log "):].strip()
    return None


def _tail(log, output):
    text = _read_text(log) if log else ""
    lines = text.splitlines() if text else list(output)
    return "\n".join(lines[-_LOG_TAIL_LINES:])


def _failure_message(stage, run_text, failed, results):
    first = failed[0]
    what = "run" if first["segment"] is None else "segment %02d" % first["segment"]
    head = "%s of run %s failed: %s %s" % (stage, run_text, what, first.get("error", "failed"))
    if first.get("job_id"):
        head += " (Slurm job %s, %s)" % (first["job_id"], first.get("state"))
    parts = [head]
    others = failed[1:]
    if others:
        parts.append("also: " + "; ".join(
            ("segment %02d " % r["segment"] if r["segment"] is not None else "") + r.get("error", "failed")
            for r in others))
    done = [r for r in results if r.get("ok")]
    parts.append("%d of %d jobs succeeded" % (len(done), len(results)))
    if first.get("log"):
        parts.append("log %s, last lines:" % first["log"])
    else:
        parts.append("output, last lines:")
    parts.append(first.get("tail") or "(empty)")
    return "\n".join(parts)
