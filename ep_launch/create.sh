#!/bin/bash
# Creates (configures) and starts this kit's Globus Compute endpoints.
#
#   ep_launch/create.sh [--render-only DIR] [--no-start] [NAME...]
#
# For each endpoint (all of FW_ENDPOINTS, or the NAMEs given, which must be among them):
#   1. globus-compute-endpoint configure NAME, unless ~/.globus_compute/NAME exists;
#   2. render config-NAME.yaml.in into ~/.globus_compute/NAME/config.yaml (the manager's settings) and
#      user_config_template-NAME.yaml.j2.in into ~/.globus_compute/NAME/user_config_template.yaml.j2 (the
#      engine, which globus-compute-endpoint 4.10.1 and later refuses in config.yaml); ${FW_...}
#      placeholders come from the environment or the env file, and each file replaced is kept as
#      FILE.previous;
#   3. start it (--detach: in the background), or restart it when it is already running, so it reads the
#      new files.
# --render-only DIR writes the rendered files to DIR/NAME/config.yaml and DIR/NAME/user_config_template.yaml.j2
# and touches nothing else; --no-start stops after step 2. Settings: see fw_ep_common.sh and README.md
# ("Endpoint kit").
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
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) fw_ep_die "$FW_EX_USAGE" "unknown option $1" ;;
    *) break ;;
  esac
done
fw_ep_load_env
fw_ep_select "$@"

# Render everything first: a missing setting stops the run before any endpoint is touched.
FILES=(config.yaml user_config_template.yaml.j2)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
for name in "${FW_EP_SELECTED[@]}"; do
  fw_ep_render "$FW_EP_DIR/config-$name.yaml.in" "$staging/$name/config.yaml"
  fw_ep_render "$FW_EP_DIR/user_config_template-$name.yaml.j2.in" "$staging/$name/user_config_template.yaml.j2"
done

if [ -n "$render_only" ]; then
  for name in "${FW_EP_SELECTED[@]}"; do
    mkdir -p "$render_only/$name"
    for file in "${FILES[@]}"; do
      mv -f "$staging/$name/$file" "$render_only/$name/$file"
      fw_ep_log "rendered $render_only/$name/$file"
    done
  done
  exit 0
fi

# globus-compute-endpoint reads config.py instead of config.yaml when there is one (configs of releases
# before 2.0): it would silently ignore what this script writes.
for name in "${FW_EP_SELECTED[@]}"; do
  if [ -e "$FW_COMPUTE_DIR/$name/config.py" ]; then
    fw_ep_die "$FW_EX_CONFIG" "$FW_COMPUTE_DIR/$name/config.py would be used instead of the config.yaml this script writes; move it away (nothing was changed)"
  fi
done

for name in "${FW_EP_SELECTED[@]}"; do
  dir=$FW_COMPUTE_DIR/$name
  if [ ! -d "$dir" ]; then
    fw_ep_log "configuring $name"
    "$FW_GCE" configure "$name"
  fi
  for file in "${FILES[@]}"; do
    if [ -f "$dir/$file" ]; then
      cp -p "$dir/$file" "$dir/$file.previous"
    fi
    mv -f "$staging/$name/$file" "$dir/$file"
    fw_ep_log "wrote $dir/$file"
  done
  if [ -n "$start" ]; then
    # Without --detach, start and restart run the endpoint in the foreground until it stops.
    if [ "$(fw_ep_local_status "$name")" = Running ]; then
      fw_ep_log "restarting $name"
      "$FW_GCE" restart --detach "$name"
    else
      fw_ep_log "starting $name"
      "$FW_GCE" start --detach "$name"
    fi
  fi
done
