#!/usr/bin/env python3
"""A FRIB-style poller: what FRIB e21062's dirwatch.py does, for the race in bench/race.py.

It lists the watch directory every --interval seconds (FRIB: 300) and compares the names starting with
"run" with the previous listing; every name that appeared or vanished gets a thread of its own, which
waits, looking every --recheck seconds (FRIB: 5), until the directory and every file directly in it are
at least --trigger-delay seconds old by their mtime (FRIB: 30), then starts one run with a client of its
own (here: a new connection). Entries present at start-up seed the listing, so they never start; nothing
is recorded; a failed start is printed and forgotten.

Tokens: one client-credentials grant at start-up (FRIB read cached tokens from a file instead).
Usage: frib_poller.py --watchdir DIR --flow-id ID [--interval S] [--trigger-delay S] [--recheck S].
Prints "watching DIR" after the first listing.
"""
import argparse
import os
import signal
import sys
import threading
import time

import flows_post

FRIB_DTN = "9656eff2-8105-445c-8501-154dfe1d88e5"
NERSC_DTN = "9d6d994a-6d04-11e5-ba46-22000b92c6ec"


def age(path):
    """Seconds since the directory or any file directly in it last changed (FRIB's get_last_mtime)."""
    now = time.time()
    youngest = now - os.path.getmtime(path)
    with os.scandir(path) as entries:
        for e in entries:
            try:
                if e.is_file(follow_symlinks=False):
                    youngest = min(youngest, now - e.stat(follow_symlinks=False).st_mtime)
            except FileNotFoundError:  # rsync renamed its temporary file while we looked
                continue
    return youngest


def flow_thread(path, args, bearer):
    try:
        while age(path) < args.trigger_delay:
            time.sleep(args.recheck)
        conn = flows_post.connect(os.environ["GLOBUS_SDK_SERVICE_URL_FLOWS"])
        try:
            name = os.path.basename(path)
            run = flows_post.start_run(conn, args.flow_id, bearer, flows_post.frib_input(path, FRIB_DTN, NERSC_DTN),
                                       name, ["Transfer", "Compute", "FRIB"])
        finally:
            conn.close()
        print("started %s: https://app.globus.org/runs/%s" % (name, run["run_id"]), flush=True)
    except Exception as e:  # in FRIB the thread died with it; here it at least says so
        print("start failed for %s: %s" % (path, e), file=sys.stderr, flush=True)


def listing(watchdir):
    return {n for n in os.listdir(watchdir) if n.startswith("run")}


def main():
    p = argparse.ArgumentParser(description="FRIB-style polling trigger (bench)")
    p.add_argument("--watchdir", required=True)
    p.add_argument("--flow-id", required=True)
    p.add_argument("--interval", type=float, default=300)
    p.add_argument("--trigger-delay", type=float, default=30)
    p.add_argument("--recheck", type=float, default=5)
    args = p.parse_args()
    if not os.path.isdir(args.watchdir):
        print("Watch directory does not exist: " + args.watchdir, file=sys.stderr)
        return 1
    bearer = flows_post.token(flows_post.flow_scope(args.flow_id) + " " + flows_post.FLOWS_ALL)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    seen = listing(args.watchdir)
    print("watching " + args.watchdir, flush=True)
    try:
        while not stop.wait(args.interval):
            current = listing(args.watchdir)
            for name in sorted(seen ^ current):
                threading.Thread(target=flow_thread, args=(os.path.join(args.watchdir, name), args, bearer),
                                 daemon=True).start()
            seen = current
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
