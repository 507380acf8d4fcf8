#!/usr/bin/env bash
# Installs what bench/race.py races flowwatch against: Debian's python3 with python3-watchdog (the
# GFTE-style trigger watches with watchdog's inotify observer, as globus-flows-trigger-examples does; the
# FRIB-style poller and the stub need only the standard library). Debian's package, not pip's: the race
# runs the triggers with /usr/bin/python3, whatever python3 is first on PATH. Idempotent: does nothing
# when everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
if [ ! -x /usr/bin/python3 ]; then
  missing+=(python3)
fi
if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c "import watchdog.observers" >/dev/null 2>&1; then
  missing+=(python3-watchdog)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-bench-deps: missing ${missing[*]}; run this script as root to install them" >&2
    exit 1
  fi
fi
echo "install-bench-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
