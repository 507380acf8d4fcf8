"""Runs one Globus Compute function on this machine for flowwatch's local engine.

    python3 function_runner.py REQUEST RESULT

REQUEST is a JSON file {"source": PATH, "function": NAME, "args": [...], "kwargs": {...}}. The source
file is executed in a fresh namespace, as an endpoint executes a function registered as source text, so
a file that works here works there: nothing at its top level may rely on __file__, and __name__ is not
"__main__". The named function is called with the JSON args and kwargs.

RESULT is written once, whole (a temporary file renamed into place), as JSON:
  {"ok": true, "output": VALUE}
  {"ok": false, "type": "RuntimeError", "message": "...", "traceback": "Traceback ...", "frames": [...]}
What the function prints goes to this process's stdout and stderr, which flowwatch keeps as its log.
The exit code is 0 when the function returned, 1 when it raised, 2 when the request could not be read.
"""

import json
import os
import sys
import traceback


def _failure(error, note=None):
    message = str(error)
    if note:
        message = note + ": " + message if message else note
    return {
        "ok": False,
        "type": type(error).__name__,
        "message": message,
        "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        "frames": traceback.format_tb(error.__traceback__),
    }


def _call(request):
    source = request["source"]
    name = request["function"]
    with open(source, encoding="utf-8") as f:
        code = compile(f.read(), source, "exec")
    namespace = {}
    exec(code, namespace)
    function = namespace.get(name)
    if not callable(function):
        raise NameError("%s defines no function %s (top-level functions: %s)" % (
            source, name, ", ".join(sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("_")))
            or "none"))
    args = request.get("args") or []
    kwargs = request.get("kwargs") or {}
    return function(*args, **kwargs)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: function_runner.py REQUEST RESULT\n")
        return 2
    request_path, result_path = argv[1], argv[2]
    try:
        with open(request_path, encoding="utf-8") as f:
            request = json.load(f)
    except (OSError, ValueError) as error:
        sys.stderr.write("function_runner: cannot read the request %s: %s\n" % (request_path, error))
        return 2
    try:
        value = _call(request)
    except BaseException as error:  # SystemExit and KeyboardInterrupt from the function fail the task too
        result = _failure(error)
    else:
        try:
            result = {"ok": True, "output": value}
            json.dumps(result)  # fails here rather than half way through writing the file
        except (TypeError, ValueError) as error:
            result = _failure(error, "the function returned a value JSON cannot hold (%s)" % type(value).__name__)
    sys.stdout.flush()
    sys.stderr.flush()
    partial = result_path + ".part"
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
        json.dump(result, f)
    os.replace(partial, result_path)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
