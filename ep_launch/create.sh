#!/bin/bash
# Creates (configures) and starts this kit's Globus Compute endpoints.
#
#   ep_launch/create.sh [--render-only DIR] [--no-start] [NAME...]
#
# For each endpoint (all of FW_ENDPOINTS, or the NAMEs given, which must be among them):
#   1. globus-compute-endpoint configure NAME, unless ~/.globus_compute/NAME exists;
#   2. render config-NAME.yaml.in into ~/.globus_compute/NAME/config.yaml (placeholders from the
#      environment or the env file; the previous config is kept as config.yaml.previous);
#   3. start it, or restart it when it is already running, so it picks up the new config.
# --render-only DIR writes the rendered configs to DIR/NAME.yaml and touches nothing else;
# --no-start stops after step 2. Settings: see fw_ep_common.sh and README.md ("Endpoint kit").
set -euo pipefail
FW_EP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=fw_ep_common.sh
. "$FW_EP_DIR/fw_ep_common.sh"

render_only=''
start=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --render-only) [ $# -ge 2 ] || fw_ep_die "$FW_EX_USAGE" "--render-only needs a directory"; render_only=$2; shift 2 ;;
    --no-start) start=''; shift ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) fw_ep_die "$FW_EX_USAGE" "unknown option $1" ;;
    *) break ;;
  esac
done
fw_ep_load_env
fw_ep_select "$@"

# Render everything first: a missing setting stops the run before any endpoint is touched.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
for name in "${FW_EP_SELECTED[@]}"; do
  fw_ep_render "$FW_EP_DIR/config-$name.yaml.in" "$staging/$name.yaml"
done

if [ -n "$render_only" ]; then
  mkdir -p "$render_only"
  for name in "${FW_EP_SELECTED[@]}"; do
    mv -f "$staging/$name.yaml" "$render_only/$name.yaml"
    fw_ep_log "rendered $render_only/$name.yaml"
  done
  exit 0
fi

for name in "${FW_EP_SELECTED[@]}"; do
  dir=$FW_COMPUTE_DIR/$name
  if [ ! -d "$dir" ]; then
    fw_ep_log "configuring $name"
    "$FW_GCE" configure "$name"
  fi
  if [ -f "$dir/config.yaml" ]; then
    cp -p "$dir/config.yaml" "$dir/config.yaml.previous"
  fi
  mv -f "$staging/$name.yaml" "$dir/config.yaml"
  fw_ep_log "wrote $dir/config.yaml"
  if [ -n "$start" ]; then
    if [ "$(fw_ep_local_status "$name")" = Running ]; then
      fw_ep_log "restarting $name"
      "$FW_GCE" restart "$name"
    else
      fw_ep_log "starting $name"
      "$FW_GCE" start "$name"
    fi
  fi
done
