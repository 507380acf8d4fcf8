#!/usr/bin/env python3
"""A local stand-in for Globus Auth and Flows that every trigger in the race posts to.

It serves what a trigger needs, in the shapes of shared/reference/globus-rest.md: client-credentials token
grants (one token per resource server: the flow's own for a flow scope, flows.globus.org otherwise), flow
documents, run starts (201 and an ACTIVE run document, after a configurable delay, as a slow service
would), run GETs and paged run lists (filter_flow_id, filter_label, filter_status, filter_completion_time, marker). A run counts as
SUCCEEDED once --finish-after seconds have passed since its start.

It records when each start request arrived (CLOCK_MONOTONIC, which every process on the host shares), so
the race can subtract the moment a writer created a sentinel. Control calls, for the race only, live under
/_bench/: GET /_bench/starts?wait=N&timeout=S[&flow=ID] (blocks until N starts have arrived), POST /_bench/reset,
POST /_bench/config {"delay_ms": 20, "finish_after": 0}. Only starts the stub accepted (a bearer token, a
JSON body) are recorded, each as [arrival ns, label, flow id]; ?flow=ID counts and returns one flow's only,
so triggers racing in one stub each use a flow id of their own.

Usage: stub_flows.py [--port 0] [--delay-ms 0] [--finish-after 0]; prints "listening PORT" when ready.
"""
import argparse
import base64
import collections
import json
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

FLOW_SCOPE = re.compile(r"scopes/([0-9a-f-]{36})/flow_")
START = re.compile(r"^/flows/([0-9a-f-]{36})/run$")
FLOW = re.compile(r"^/flows/([0-9a-f-]{36})$")
RUN = re.compile(r"^/runs/([0-9a-f-]{36})$")
PAGE = 20  # the service's default page size


class Runs:
    """Every run the stub created, and the arrival time of every start request, behind one lock."""

    def __init__(self, delay_ms, finish_after):
        self.cond = threading.Condition()
        self.delay_ms = delay_ms
        self.finish_after = finish_after
        self.reset()

    def reset(self):
        with self.cond:
            self.runs = []  # run documents, in start order
            self.runs_by_flow = {}  # flow id -> the same, so one trigger's run list does not walk the others'
            self.by_id = {}
            self.starts = []  # (arrival ns, label, flow id), accepted starts only
            self.starts_by_flow = {}  # flow id -> the same entries, so a waiter's check costs nothing
            # A listing's matches, by query id, while its pages are asked for: the pages of one listing are
            # then cut from one list (the real service pages a consistent view, too), and a listing of
            # 100,000 runs costs one pass over them, not one per page of 20.
            self.listings = collections.OrderedDict()

    def arrived(self, t_ns, label, flow_id):
        entry = (t_ns, label, flow_id)
        with self.cond:
            self.starts.append(entry)
            self.starts_by_flow.setdefault(flow_id, []).append(entry)
            self.cond.notify_all()

    def starts_of(self, flow_id):
        """The recorded starts, or one flow's; call with the lock held."""
        return self.starts if flow_id is None else self.starts_by_flow.get(flow_id, [])

    def create(self, flow_id, request, t_ns):
        run_id = str(uuid.uuid4())
        doc = {"run_id": run_id, "action_id": run_id, "flow_id": flow_id, "label": request.get("label"),
               "tags": request.get("tags") or [], "start_time": iso(time.time()), "details": {}}
        with self.cond:
            self.runs.append((t_ns, doc))
            self.runs_by_flow.setdefault(flow_id, []).append((t_ns, doc))
            self.by_id[run_id] = (t_ns, doc)
        return self.view(t_ns, doc)

    def view(self, t_ns, doc):
        done = time.monotonic_ns() - t_ns >= self.finish_after * 1e9
        status = "SUCCEEDED" if done else "ACTIVE"
        out = dict(doc, status=status, display_status=status,
                   details={"code": "FlowSucceeded" if done else "FlowStarting"})
        if done:
            out["completion_time"] = out["start_time"]
        return out

    def listing(self, filters):
        """The runs one listing matches: selected at its first page, kept for the pages after it."""
        key = filters.get("listing")
        with self.cond:
            found = self.listings.get(key) if key else None
        if found is None:
            found = self.select(filters["flow"], filters["label"], filters["status"], filters.get("since"))
            with self.cond:
                self.listings[key] = found
                while len(self.listings) > 64:
                    self.listings.popitem(last=False)
        return found

    def select(self, flow_id, label, statuses, completed_since=None):
        with self.cond:
            entries = list(self.runs_by_flow.get(flow_id, []) if flow_id else self.runs)
        out = []
        for t_ns, doc in entries:
            if flow_id and doc["flow_id"] != flow_id:
                continue
            if label and label.lower() not in (doc["label"] or "").lower():
                continue
            view = self.view(t_ns, doc)
            if statuses and view["status"] not in statuses:
                continue
            if completed_since and not (view.get("completion_time") or "") >= completed_since:
                continue  # ISO 8601 in UTC with one layout: text order is time order
            out.append(view)
        return out


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


def iso_of(text):
    """A client's ISO 8601 instant (Z or +00:00, with or without fractions) in the layout iso() writes."""
    from datetime import datetime
    return iso(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() // 1)


def error(code, detail):
    return {"error": {"code": code, "detail": detail}, "debug_id": str(uuid.uuid4())}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real service and every client here use it
    # The status line and headers go out in one write and the body in another: with Nagle's algorithm the
    # body then waits for the client's delayed ACK (40 ms on Linux) on every reused connection, a stall
    # the real service (one write behind its load balancer) does not have.
    disable_nagle_algorithm = True
    runs = None  # set by main

    def log_message(self, *args):
        pass

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_POST(self):
        t_ns = time.monotonic_ns()
        path = urlsplit(self.path).path
        raw = self.body()
        start = START.match(path)
        if start:
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                return self.send(401, error("AUTHENTICATION_ERROR", "no bearer token"))
            try:
                request = json.loads(raw or b"{}")
            except ValueError as e:
                return self.send(400, error("BAD_REQUEST", "the body is not JSON: %s" % e))
            # Recorded only once accepted: a refused request started nothing, and must not count as a start
            # in the race's exactly-once check; the time is still the moment the request arrived.
            self.runs.arrived(t_ns, request.get("label") or "", start.group(1))
            doc = self.runs.create(start.group(1), request, t_ns)
            if self.runs.delay_ms:
                time.sleep(self.runs.delay_ms / 1000)
            return self.send(201, doc)
        if path == "/v2/oauth2/token":
            return self.token(raw.decode())
        if path == "/_bench/reset":
            self.runs.reset()
            return self.send(200, {})
        if path == "/_bench/config":
            conf = json.loads(raw or b"{}")
            self.runs.delay_ms = conf.get("delay_ms", self.runs.delay_ms)
            self.runs.finish_after = conf.get("finish_after", self.runs.finish_after)
            return self.send(200, {})
        self.send(404, error("NOT_FOUND", "no such resource " + path))

    def token(self, form):
        auth = self.headers.get("Authorization", "")
        try:
            client_id, _, secret = base64.b64decode(auth[len("Basic "):]).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        fields = parse_qs(form)
        if not auth.startswith("Basic ") or not client_id or not secret:
            return self.send(401, {"error": "invalid_client"})
        if fields.get("grant_type") != ["client_credentials"]:
            return self.send(400, {"error": "unsupported_grant_type"})
        scope = unquote(fields.get("scope", [""])[0])
        m = FLOW_SCOPE.search(scope)
        rs = m.group(1) if m else "flows.globus.org"
        self.send(200, {"access_token": "stub-" + rs, "scope": scope, "resource_server": rs,
                        "expires_in": 172800, "token_type": "Bearer", "other_tokens": []})

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/_bench/starts":
            want, limit, flow_id = int(q.get("wait", 0)), float(q.get("timeout", 0)), q.get("flow")
            with self.runs.cond:
                self.runs.cond.wait_for(lambda: len(self.runs.starts_of(flow_id)) >= want, timeout=limit)
                starts = list(self.runs.starts_of(flow_id))
            return self.send(200, {"starts": starts})
        if url.path == "/runs":
            return self.list_runs(q)
        run = RUN.match(url.path)
        if run:
            entry = self.runs.by_id.get(run.group(1))
            if entry is None:
                return self.send(404, error("NOT_FOUND", "run %s not found" % run.group(1)))
            return self.send(200, self.runs.view(*entry))
        flow = FLOW.match(url.path)
        if flow:
            fid = flow.group(1)
            return self.send(200, {"id": fid, "title": "bench flow", "globus_auth_scope":
                                   "https://auth.globus.org/scopes/%s/flow_%s_user" % (fid, fid.replace("-", "_"))})
        self.send(404, error("NOT_FOUND", "no such resource " + url.path))

    def list_runs(self, q):
        if "marker" in q:  # the service ignores the other parameters when a marker is given
            filters = json.loads(base64.urlsafe_b64decode(q["marker"]))
        else:
            since = q.get("filter_completion_time", "").partition(",")[0]
            filters = {"flow": q.get("filter_flow_id"), "label": q.get("filter_label"),
                       "status": [s for s in q.get("filter_status", "").split(",") if s],
                       "since": iso_of(since) if since else None, "offset": 0, "listing": str(uuid.uuid4())}
        found = self.runs.listing(filters)
        offset = filters["offset"]
        page = found[offset:offset + PAGE]
        body = {"runs": page, "limit": PAGE, "has_next_page": offset + PAGE < len(found)}
        if body["has_next_page"]:
            body["marker"] = base64.urlsafe_b64encode(json.dumps(dict(filters, offset=offset + PAGE)).encode()).decode()
        self.send(200, body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 2048  # a thousand triggers' threads may connect at once


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--delay-ms", type=int, default=0, help="how long each start takes to answer")
    p.add_argument("--finish-after", type=float, default=0, help="seconds until a run reports SUCCEEDED")
    args = p.parse_args()
    Handler.runs = Runs(args.delay_ms, args.finish_after)
    server = Server(("127.0.0.1", args.port), Handler)
    print("listening %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
