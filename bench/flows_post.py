"""What both Python competitors share: a client-credentials token and a run start, over the standard
library's http.client (the Globus SDK is not installable here; its wire calls are the same two).

Service URLs and credentials come from the environment as for flowwatch: GLOBUS_SDK_SERVICE_URL_AUTH,
GLOBUS_SDK_SERVICE_URL_FLOWS, GLOBUS_CLIENT_ID, GLOBUS_CLIENT_SECRET.
"""
import base64
import http.client
import json
import os
from urllib.parse import urlencode, urlsplit

FLOWS_ALL = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all"


def connect(url):
    u = urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    return cls(u.hostname, u.port, timeout=60)


def call(conn, method, path, body, headers):
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 300:
        raise RuntimeError("%s %s: HTTP %d %s" % (method, path, resp.status, data[:200]))
    return json.loads(data)


def token(scope):
    """One client-credentials grant, as a confidential client does once and then caches."""
    env = os.environ
    basic = base64.b64encode(("%s:%s" % (env["GLOBUS_CLIENT_ID"], env["GLOBUS_CLIENT_SECRET"])).encode()).decode()
    conn = connect(env["GLOBUS_SDK_SERVICE_URL_AUTH"])
    try:
        t = call(conn, "POST", "/v2/oauth2/token", urlencode({"grant_type": "client_credentials", "scope": scope}),
                 {"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"})
    finally:
        conn.close()
    return t["access_token"]


def flow_scope(flow_id):
    return "https://auth.globus.org/scopes/%s/flow_%s_user" % (flow_id, flow_id.replace("-", "_"))


def get_flow(conn, flow_id, bearer):
    return call(conn, "GET", "/flows/" + flow_id, None, {"Authorization": "Bearer " + bearer})


def start_run(conn, flow_id, bearer, body, label, tags):
    request = json.dumps({"body": body, "label": label, "tags": tags})
    return call(conn, "POST", "/flows/%s/run" % flow_id, request,
                {"Authorization": "Bearer " + bearer, "Content-Type": "application/json"})


def frib_input(run_path, source_id, nersc_id, nersc_top="/global/cfs/cdirs/m4386/e21062_flows"):
    """The FRIB pipeline's input document for one run directory, as FRIB's run_flow builds it."""
    name = os.path.basename(run_path.rstrip("/"))
    number = int(name[3:])
    src = run_path.replace("/cephfs", "")

    def where(path):
        return {"endpoint_id": nersc_id, "path": path}

    def task(step, inp, out):
        return {"endpoint": step, "function": step, "kwargs": {"endpoint_id": step, "input_path": inp,
                                                               "output_path": out}}
    ep = "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889"
    return {
        "top_rawdata_dir": where(nersc_top + "/rawdata"), "top_fit_dir": where(nersc_top + "/fitted"),
        "top_converted_dir": where(nersc_top + "/converted"), "top_analyzed_dir": where(nersc_top + "/analyzed"),
        "compute_log_dir": where("/global/homes/c/chester/globus_flows/flow_logs"),
        "rawdata": {"source": {"id": source_id, "path": src},
                    "destination": {"id": nersc_id, "path": "%s/rawdata/%s" % (nersc_top, name)},
                    "filter_rules": [{"DATA_TYPE": "filter_rule", "method": "include", "type": "file", "name": "*.evt"},
                                     {"DATA_TYPE": "filter_rule", "method": "exclude", "type": "file", "name": "*"}],
                    "sync_level": 3, "notify_on_succeeded": False, "notify_on_failed": True,
                    "notify_on_inactive": True, "recursive_tx": True},
        "fit_dir": where("%s/fitted/%s" % (nersc_top, name)),
        "fit": task(ep, "%s/rawdata/%s" % (nersc_top, name), "%s/fitted/%s" % (nersc_top, name)),
        "converted_dir": where("%s/converted/%s" % (nersc_top, name)),
        "convert": task(ep, "%s/fitted/%s" % (nersc_top, name), "%s/converted/%s" % (nersc_top, name)),
        "analyze": task(ep, "%s/converted/%s" % (nersc_top, name), nersc_top + "/analyzed"),
        "pipeline_output": {"source": {"id": nersc_id, "path": "%s/analyzed/run-%04d-sorted.root" % (nersc_top, number)},
                            "destination": {"id": source_id, "path": "/mnt/sci-dtn/e21062_2/nersc_analysis/run-%04d"
                                            "-sorted.root" % number},
                            "sync_level": 3, "notify_on_succeeded": False, "notify_on_failed": True,
                            "notify_on_inactive": True, "recursive_tx": False},
    }
