#!/bin/bash
# Deletes this kit's Globus Compute endpoints, and only them.
#
#   ep_launch/delete.sh [--yes] [NAME...]
#
# Deletes the endpoints named in FW_ENDPOINTS (the env file), or the NAMEs given, each of which must be
# among them: an endpoint this kit did not create is never touched, whatever else the account owns
# (FRIB's delete.py removed every endpoint of the user). Lists what it will delete and asks first,
# unless --yes. Each goes through 'globus-compute-endpoint delete NAME', which also removes it from the
# Globus Compute service.
set -euo pipefail
FW_EP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=fw_ep_common.sh
. "$FW_EP_DIR/fw_ep_common.sh"

yes=''
while [ $# -gt 0 ]; do
  case "$1" in
    --yes | -y) yes=1; shift ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) fw_ep_die "$FW_EX_USAGE" "unknown option $1" ;;
    *) break ;;
  esac
done
fw_ep_load_env
fw_ep_select "$@"

echo "This deletes the Globus Compute endpoints: ${FW_EP_SELECTED[*]}"
if [ -z "$yes" ]; then
  read -r -p "Type 'delete' to go on: " answer
  [ "$answer" = delete ] || fw_ep_die 1 "nothing deleted"
fi
status=0
for name in "${FW_EP_SELECTED[@]}"; do
  if "$FW_GCE" delete --yes "$name"; then
    fw_ep_log "deleted $name"
  else
    fw_ep_log "ERROR: could not delete $name"
    status=1
  fi
done
exit "$status"
