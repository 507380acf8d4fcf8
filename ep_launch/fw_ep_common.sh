# shellcheck shell=bash
# Shared by create.sh, gce, delete.sh and monitor.sh; sourced, never run.
#
# Settings come from the environment, else from an env file: $FW_ENV_FILE, else ep_launch/site.env when
# it exists (frib.env holds FRIB's values). The env file is read, not run: lines KEY=VALUE (optionally
# "export", optionally quoted), where ${NAME} refers to the environment or an earlier line. A variable
# already set in the environment wins over the file.

FW_EX_USAGE=64
FW_EX_CONFIG=78
# shellcheck disable=SC2016 # the two characters that open a placeholder, not an expansion
FW_EP_OPEN='${'

fw_ep_die() { # status message...
  local status=$1
  shift
  echo "${0##*/}: $*" >&2
  exit "$status"
}

fw_ep_log() {
  echo "$(date '+%Y-%m-%dT%H:%M:%S') $*"
}

# Placeholders are ${NAME}. In the env file every ${NAME} is one (NAME from the environment or an earlier
# line); in a template only ${FW_...} is, so the shell's own ${HOME} or ${#list} in a worker_init, and
# Jinja's {{ }} and {% %} in user_config_template.yaml.j2, reach the rendered file unchanged. PREFIX below
# is the part every placeholder's name starts with: empty for the env file, FW_ for templates.

# fw_ep_placeholders TEXT [PREFIX]: the NAMEs of TEXT's ${NAME} placeholders, one per line.
fw_ep_placeholders() {
  local rest=$1 prefix=${2:-}
  while [[ $rest == *"$FW_EP_OPEN"* ]]; do
    rest=${rest#*"$FW_EP_OPEN"}
    [[ $rest == "$prefix"* ]] || continue
    echo "${rest%%\}*}"
    rest=${rest#*\}}
  done
}

# fw_ep_unset TEXT [PREFIX]: the placeholders of TEXT whose variable is not set, space-separated.
fw_ep_unset() {
  local name missing=()
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [ -n "${!name+set}" ] || missing+=("$name")
  done < <(fw_ep_placeholders "$1" "${2:-}")
  echo "${missing[*]}"
}

# fw_ep_expand TEXT WHERE [PREFIX [JINJA]]: TEXT with every ${NAME} placeholder replaced by its value
# (values are not expanded again). With JINJA non-empty the text becomes a Jinja template, so a value
# holding '{{', '{%' or '{#' is refused: Jinja would read it as its own syntax when the endpoint renders
# the template, long after create.sh has finished.
fw_ep_expand() {
  local rest=$1 where=$2 prefix=${3:-} jinja=${4:-} out='' before after name value
  while [[ $rest == *"$FW_EP_OPEN"* ]]; do
    before=${rest%%"$FW_EP_OPEN"*}
    after=${rest#*"$FW_EP_OPEN"}
    if [[ $after != "$prefix"* ]]; then
      out+=$before$FW_EP_OPEN
      rest=$after
      continue
    fi
    name=${after%%\}*}
    if [[ $after != *\}* ]] || ! [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      fw_ep_die "$FW_EX_CONFIG" "$where: '\${$name' is not a \${NAME} placeholder"
    fi
    [ -n "${!name+set}" ] || fw_ep_die "$FW_EX_CONFIG" "$where: $name is not set"
    value=${!name}
    if [[ $value == *$'\n'* ]]; then
      fw_ep_die "$FW_EX_CONFIG" "$where: $name holds a line break; values must be one line"
    fi
    if [ -n "$jinja" ] && [[ $value == *'{{'* || $value == *'{%'* || $value == *'{#'* ]]; then
      fw_ep_die "$FW_EX_CONFIG" "$where: $name holds '{{', '{%' or '{#', which Jinja would read as its own syntax in this template (move that shell code into a script and call the script)"
    fi
    out+=$before$value
    rest=${after#*\}}
  done
  printf '%s' "$out$rest"
}

# fw_ep_load_env: reads the env file (see above) and sets the defaults every script relies on.
fw_ep_load_env() {
  local file=${FW_ENV_FILE:-$FW_EP_DIR/site.env} line n=0 key value
  if [ -n "${FW_ENV_FILE:-}" ] && [ ! -f "$FW_ENV_FILE" ]; then
    fw_ep_die "$FW_EX_CONFIG" "FW_ENV_FILE=$FW_ENV_FILE does not exist"
  fi
  if [ -f "$file" ]; then
    FW_ENV_FILE=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
    export FW_ENV_FILE
    while IFS= read -r line || [ -n "$line" ]; do
      n=$((n + 1))
      line=${line#"${line%%[![:space:]]*}"}
      [[ -z $line || $line == \#* ]] && continue
      line=${line#export }
      if ! [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
        fw_ep_die "$FW_EX_CONFIG" "$file:$n: expected KEY=VALUE, got: $line"
      fi
      key=${BASH_REMATCH[1]}
      value=${BASH_REMATCH[2]}
      if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
        value=${BASH_REMATCH[1]}
      fi
      local unset
      unset=$(fw_ep_unset "$value")
      [ -z "$unset" ] || fw_ep_die "$FW_EX_CONFIG" "$file:$n: $unset not set (set it earlier in the file or in the environment)"
      value=$(fw_ep_expand "$value" "$file:$n") || exit
      if [ -z "${!key+set}" ]; then
        export "$key=$value"
      fi
    done <"$file"
  fi
  # The endpoints this kit manages: its config templates, unless the env file names them.
  if [ -z "${FW_ENDPOINTS:-}" ]; then
    local t names=()
    for t in "$FW_EP_DIR"/config-*.yaml.in; do
      [ -f "$t" ] || continue
      t=${t##*/config-}
      names+=("${t%.yaml.in}")
    done
    FW_ENDPOINTS=${names[*]}
  fi
  read -r -a FW_EP_NAMES <<<"$FW_ENDPOINTS"
  [ ${#FW_EP_NAMES[@]} -gt 0 ] || fw_ep_die "$FW_EX_CONFIG" "no endpoints: set FW_ENDPOINTS or add config-NAME.yaml.in"
  export FW_IFNAME=${FW_IFNAME:-hsn0}
  # shellcheck disable=SC2034 # used by the scripts that source this file
  FW_COMPUTE_DIR=${GLOBUS_COMPUTE_USER_DIR:-$HOME/.globus_compute}
  if [ -n "${FW_GCE:-}" ]; then
    :
  elif [ -n "${FW_VENV:-}" ] && [ -x "$FW_VENV/bin/globus-compute-endpoint" ]; then
    FW_GCE=$FW_VENV/bin/globus-compute-endpoint
  else
    FW_GCE=globus-compute-endpoint
  fi
}

# fw_ep_select NAME...: the named endpoints, each of which must be one of this kit's; all when none given.
fw_ep_select() {
  FW_EP_SELECTED=()
  if [ $# -eq 0 ]; then
    FW_EP_SELECTED=("${FW_EP_NAMES[@]}")
    return
  fi
  local name known
  for name in "$@"; do
    for known in "${FW_EP_NAMES[@]}"; do
      if [ "$name" = "$known" ]; then
        FW_EP_SELECTED+=("$name")
        continue 2
      fi
    done
    fw_ep_die "$FW_EX_USAGE" "'$name' is not one of this kit's endpoints (${FW_EP_NAMES[*]}); refusing to touch it"
  done
}

# fw_ep_render TEMPLATE DEST: writes TEMPLATE with its ${FW_...} placeholders filled in to DEST, through a
# temporary file (mode 0600) that is then renamed; the template itself is never modified. Every other ${...}
# and all Jinja syntax is copied as it is. A TEMPLATE named *.j2.in becomes a Jinja template, so values that
# Jinja would read as its own syntax are refused (see fw_ep_expand). Fails listing every placeholder that
# is not set, writing nothing.
fw_ep_render() {
  local template=$1 dest=$2 line n=0 rendered='' missing=() expanded jinja=''
  [ -f "$template" ] || fw_ep_die "$FW_EX_CONFIG" "no template $template"
  if [[ $template == *.j2.in ]]; then jinja=yes; fi
  while IFS= read -r line || [ -n "$line" ]; do
    read -r -a unset <<<"$(fw_ep_unset "$line" FW_)"
    missing+=("${unset[@]}")
  done <"$template"
  if [ ${#missing[@]} -gt 0 ]; then
    local unique
    unique=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
    fw_ep_die "$FW_EX_CONFIG" "$template needs ${unique% }: set them in the environment or in the env file (${FW_ENV_FILE:-none was read})"
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    expanded=$(fw_ep_expand "$line" "$template:$n" FW_ "$jinja") || exit
    rendered+=$expanded$'\n'
  done <"$template"
  mkdir -p "$(dirname "$dest")"
  local temp
  temp=$(mktemp "$dest.XXXXXX")
  printf '%s' "$rendered" >"$temp"
  mv -f "$temp" "$dest"
}

# fw_ep_local_status NAME: Running, Stopped, Disconnected, Initialized, or missing, as
# 'globus-compute-endpoint list' reports the endpoint on this host.
fw_ep_local_status() {
  local name=$1 table
  table=$("$FW_GCE" list 2>/dev/null) || { echo missing; return; }
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^\|[^|]*\|[[:space:]]*([A-Za-z]+)[[:space:]]*\|[[:space:]]*([^|[:space:]]+)[[:space:]]*\|$ ]] \
      && [ "${BASH_REMATCH[2]}" = "$name" ]; then
      echo "${BASH_REMATCH[1]}"
      return
    fi
  done <<<"$table"
  echo missing
}
