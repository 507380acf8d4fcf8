#!/bin/bash
# Keeps this kit's Globus Compute endpoints running: every FW_MONITOR_INTERVAL seconds (300) it checks
# each endpoint of FW_ENDPOINTS on this host and restarts one that is not Running, at most
# FW_MONITOR_RETRIES times (10), FW_MONITOR_RETRY_WAIT seconds (10) apart, checking again after each
# restart. Meant to run for a long time from scrontab (see 'ep_launch/gce scrontab').
#
#   ep_launch/monitor.sh [--once]
#
# --once checks once and exits 0 when every endpoint runs, 1 when one could not be brought back.
set -euo pipefail
FW_EP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=fw_ep_common.sh
. "$FW_EP_DIR/fw_ep_common.sh"

once=''
case "${1:-}" in
  --once) once=1 ;;
  '') ;;
  -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) fw_ep_die "$FW_EX_USAGE" "unknown argument $1" ;;
esac
fw_ep_load_env
interval=${FW_MONITOR_INTERVAL:-300}
retries=${FW_MONITOR_RETRIES:-10}
wait=${FW_MONITOR_RETRY_WAIT:-10}
for n in "$interval" "$retries" "$wait"; do
  [[ $n =~ ^[0-9]+$ ]] || fw_ep_die "$FW_EX_CONFIG" "FW_MONITOR_INTERVAL, _RETRIES and _RETRY_WAIT must be whole numbers"
done

# check_once: 0 when every endpoint runs (now, or after restarts), 1 otherwise.
check_once() {
  local name state attempt failed=0
  for name in "${FW_EP_NAMES[@]}"; do
    state=$(fw_ep_local_status "$name")
    if [ "$state" = Running ]; then
      fw_ep_log "$name on $(hostname -s): Running"
      continue
    fi
    fw_ep_log "$name on $(hostname -s): $state; restarting"
    for ((attempt = 1; attempt <= retries; attempt++)); do
      # --detach: without it the restarted endpoint would run in this loop's foreground.
      "$FW_GCE" restart --detach "$name" || true
      sleep "$wait"
      state=$(fw_ep_local_status "$name")
      if [ "$state" = Running ]; then
        fw_ep_log "Restarted $name (attempt $attempt)"
        continue 2
      fi
    done
    fw_ep_log "ERROR: failed to restart $name after $retries attempts (now $state)"
    failed=1
  done
  return "$failed"
}

if [ -n "$once" ]; then
  check_once
  exit
fi
while true; do
  check_once || true
  sleep "$interval"
done
