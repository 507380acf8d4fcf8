#!/usr/bin/env bash
# Installs what bench/race.py races flowwatch against: Debian's python3-watchdog for /usr/bin/python3
# (the GFTE-style trigger watches with watchdog's inotify observer). The project's test-dependency script
# installs it with everything else, so there is one way to install Debian packages here.
set -euo pipefail
exec "$(dirname "$0")/../dev/install-test-deps.sh"
