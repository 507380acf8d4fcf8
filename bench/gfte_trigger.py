#!/usr/bin/env python3
"""A GFTE-style trigger: what globus-flows-trigger-examples' watch.py does, for the race in bench/race.py.

One watchdog observer (inotify) watches the directory recursively; a created file whose name ends with the
sentinel starts one run for the directory holding it, in the observer's own thread, so starts go one at a
time. As in GFTE's run_flow, each start makes a new client (here: a new connection), looks the flow up for
its scope, then starts the run. Directories present at start-up, or filled while it was down, are never
started; nothing is recorded, so a restart cannot tell what it started.

Tokens: one client-credentials grant at start-up (GFTE read cached tokens from a file instead).
Usage: gfte_trigger.py --watchdir DIR --flow-id ID [--sentinel .done]; needs python3-watchdog
(bench/install-bench-deps.sh). Prints "watching DIR" once the observer is running.
"""
import argparse
import os
import signal
import sys
import threading

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

import flows_post

FRIB_DTN = "9656eff2-8105-445c-8501-154dfe1d88e5"
NERSC_DTN = "9d6d994a-6d04-11e5-ba46-22000b92c6ec"


class Handler(FileSystemEventHandler):
    def __init__(self, flow_id, sentinel, bearer, flows_url):
        super().__init__()
        self.flow_id = flow_id
        self.sentinel = sentinel
        self.bearer = bearer
        self.flows_url = flows_url

    def on_created(self, event):
        if event.is_directory or not event.src_path.endswith(self.sentinel):
            return
        run_dir = os.path.dirname(event.src_path)
        try:
            self.run_flow(run_dir)
        except Exception as e:  # GFTE printed and carried on with the next event
            print("start failed for %s: %s" % (run_dir, e), file=sys.stderr, flush=True)

    def run_flow(self, run_dir):
        conn = flows_post.connect(self.flows_url)
        try:
            flows_post.get_flow(conn, self.flow_id, self.bearer)
            name = os.path.basename(run_dir)
            run = flows_post.start_run(conn, self.flow_id, self.bearer,
                                       flows_post.frib_input(run_dir, FRIB_DTN, NERSC_DTN), name,
                                       ["Transfer", "Compute", "FRIB"])
        finally:
            conn.close()
        print("started %s: https://app.globus.org/runs/%s" % (name, run["run_id"]), flush=True)


def main():
    p = argparse.ArgumentParser(description="GFTE-style inotify trigger (bench)")
    p.add_argument("--watchdir", required=True)
    p.add_argument("--flow-id", required=True)
    p.add_argument("--sentinel", default=".done")
    args = p.parse_args()
    if not os.path.isdir(args.watchdir):
        print("Watch directory does not exist: " + args.watchdir, file=sys.stderr)
        return 1
    scope = flows_post.flow_scope(args.flow_id) + " " + flows_post.FLOWS_ALL
    handler = Handler(args.flow_id, args.sentinel, flows_post.token(scope),
                      os.environ["GLOBUS_SDK_SERVICE_URL_FLOWS"])
    observer = Observer()
    observer.schedule(handler, args.watchdir, recursive=True)
    observer.start()
    print("watching " + args.watchdir, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    observer.stop()
    observer.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
