#!/usr/bin/env bash
# Measures the dbrail provider binary and prints one table; `make bench` runs it on the release
# build. Usage: benches/provider.sh <provider-binary>
#
# Every row is measured in this run, on this machine, next to terraform's own baseline where
# one exists: machines are noisy, so only numbers taken together compare. Nothing here passes
# or fails on timing; the "target" column is for the reader.
#
#   handshake  process start -> the go-plugin handshake line on stdout, median of BENCH_RUNS
#              (default 50) starts after one warm-up; the provider is killed after each line.
#              Without PLUGIN_CLIENT_CERT (plain unix socket), and with one (terraform always
#              sends one: the provider then makes its own key and certificate before answering).
#   schema     `terraform providers schema -json` vs `terraform version`, run alternately
#              BENCH_TF_RUNS (default 10) times each in one directory initialised with dbrail
#              from a filesystem mirror; medians and their ratio.
#   memory     the provider's peak RSS (max over every provider process terraform starts)
#              during `terraform providers schema -json` and during `terraform plan` of
#              examples/parameter-baseline against the AWS API emulator (before and after an
#              apply). The mirror serves a wrapper that runs the provider under `/usr/bin/time
#              -v` (GNU time; the peak of that one process, not of terraform), or, without GNU
#              time (or with BENCH_RSS_MODE=poll), that records its pid so /proc/<pid>/status
#              VmHWM is polled every 2 ms.
#   size       the release binary, stripped (a stripped copy is measured if it is not).
#   rpc        GetProviderSchema called directly over the provider's unix socket (HTTP/2 by
#              hand in measure.py), BENCH_RUNS times on one connection: median, and the first
#              call (which builds the response) separately.
#   plan       `terraform plan -refresh=false` of N = 100, 1,000, 5,000 dbrail_parameter_baseline
#              resources (create plans: validation and PlanResourceChange, no AWS reads) against
#              the same N of terraform_data (built into terraform, no plugin process) -- the
#              floor; alternated BENCH_PLAN_RUNS (default 3) times each, medians and ratios. And
#              the empty plan: dbrail required and configured with no resources, against a
#              configuration with no provider at all. The provider's peak RSS is taken during
#              the plan of 5,000.
#
# Terraform runs with a clean environment (as in the acceptance tests): a private HOME, a CLI
# configuration that installs dbrail from the mirror only, dummy AWS credentials, and the
# emulator as AWS_ENDPOINT_URL. Without moto, the plan rows are skipped with a note. Every
# process started here is stopped, and the temp dir removed, on exit, error or Ctrl-C.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 <terraform-provider-dbrail binary>   (e.g. target/release/terraform-provider-dbrail)" >&2
  exit 2
fi
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RUNS=${BENCH_RUNS:-50}
TF_RUNS=${BENCH_TF_RUNS:-10}
PLAN_RUNS=${BENCH_PLAN_RUNS:-3}
PLAN_SIZES=${BENCH_PLAN_SIZES:-100 1000 5000}
EXAMPLE=$ROOT/examples/parameter-baseline
COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2

PY=$(python3 -c 'import sys; print(sys.executable)')
TERRAFORM=$(command -v terraform) || { echo "terraform is not on PATH" >&2; exit 1; }
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n1)
OS_ARCH=$(uname -s | tr '[:upper:]' '[:lower:]')_$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
SOURCE=registry.terraform.io/dbrail/dbrail

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbrail-bench-XXXXXX")
EMULATOR_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$EMULATOR_PID" ]; then
    # Closing its stdin is enough (boot.py exits on EOF); the kill covers a wedged server.
    if [ -n "${EMULATOR_IN:-}" ]; then exec {EMULATOR_IN}>&-; fi
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$WORK/home" "$WORK/tmp" "$WORK/sock" "$WORK/reports"

# ---------------------------------------------------------------- helpers
# Runs a command with the clean environment terraform gets. REPORTS: where wrapped providers
# write; ENDPOINT: the emulator, once started.
REPORTS=$WORK/reports/none
ENDPOINT=""
tf_env() {
  local cli_config=$1
  shift
  env -i PATH="$PATH" HOME="$WORK/home" TMPDIR="$WORK/tmp" LANG="${LANG:-C.UTF-8}" \
    TF_CLI_CONFIG_FILE="$cli_config" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1 \
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    AWS_EC2_METADATA_DISABLED=true ${ENDPOINT:+AWS_ENDPOINT_URL="$ENDPOINT"} \
    DBRAIL_BENCH_REPORTS="$REPORTS" "$@"
}

# Runs a command quietly; on failure prints its output and stops the bench.
quiet() {
  local log=$WORK/last.log
  if ! "$@" >"$log" 2>&1; then
    echo "bench: \`$*\` failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

# A filesystem mirror serving $2 (a file) as dbrail $VERSION, and a CLI configuration using it.
make_mirror() {
  local dir=$1 provider=$2
  local platform=$dir/mirror/$SOURCE/$VERSION/$OS_ARCH
  mkdir -p "$platform"
  ln -s "$provider" "$platform/terraform-provider-dbrail_v$VERSION"
  cat >"$dir/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["$SOURCE"]
  }
  direct {
    exclude = ["$SOURCE"]
  }
}
EOF
}

# A working directory holding the example's configuration, initialised with the mirror $2.
make_workdir() {
  local dir=$1 mirror_dir=$2
  mkdir -p "$dir"
  cp "$EXAMPLE"/*.tf "$dir/"
  (cd "$dir" && quiet tf_env "$mirror_dir/terraform.rc" "$TERRAFORM" init -input=false -no-color)
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

ROWS=()
row() { ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); }

# ---------------------------------------------------------------- header
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n1)" ]; then commit="$commit (dirty tree)"; fi
echo "dbrail provider bench — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine:   $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "terraform: $("$TERRAFORM" version 2>/dev/null | head -n1)"
echo "provider:  $BIN (dbrail $VERSION, commit $commit)"
echo

# ---------------------------------------------------------------- handshake
echo "measuring: handshake ($RUNS starts, twice)" >&2
read -r hs_med hs_min hs_p90 < <(env -i PATH="$PATH" TMPDIR="$WORK/tmp" PLUGIN_UNIX_SOCKET_DIR="$WORK/sock" \
  TF_PLUGIN_MAGIC_COOKIE=$COOKIE PLUGIN_PROTOCOL_VERSIONS=6 "$PY" "$HERE/measure.py" handshake "$RUNS" "$BIN")
row "provider start → handshake line (no client cert)" "$hs_med ms" "≤ 10 ms" \
  "median of $RUNS; min $hs_min, p90 $hs_p90"

if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -sha512 -nodes -days 1 \
  -subj /CN=localhost -keyout "$WORK/client.key" -out "$WORK/client.pem" >/dev/null 2>&1; then
  read -r tls_med tls_min tls_p90 < <(env -i PATH="$PATH" TMPDIR="$WORK/tmp" PLUGIN_UNIX_SOCKET_DIR="$WORK/sock" \
    TF_PLUGIN_MAGIC_COOKIE=$COOKIE PLUGIN_PROTOCOL_VERSIONS=6 PLUGIN_CLIENT_CERT="$(cat "$WORK/client.pem")" \
    "$PY" "$HERE/measure.py" handshake "$RUNS" "$BIN")
  row "provider start → handshake line (AutoMTLS, as terraform runs it)" "$tls_med ms" "≤ 10 ms" \
    "median of $RUNS; min $tls_min, p90 $tls_p90; incl. server key + cert"
else
  row "provider start → handshake line (AutoMTLS)" "skipped" "" "openssl could not make a P-521 client cert"
fi

# ---------------------------------------------------------------- GetProviderSchema
echo "measuring: GetProviderSchema over the provider's socket ($RUNS calls)" >&2
read -r rpc_med rpc_min rpc_p90 rpc_first rpc_bytes < <(env -i PATH="$PATH" TMPDIR="$WORK/tmp" \
  PLUGIN_UNIX_SOCKET_DIR="$WORK/sock" TF_PLUGIN_MAGIC_COOKIE=$COOKIE PLUGIN_PROTOCOL_VERSIONS=6 \
  "$PY" "$HERE/measure.py" schema "$RUNS" "$BIN")
row "GetProviderSchema (gRPC over the unix socket)" "$rpc_med ms" "≤ 5 ms" \
  "median of $RUNS on one connection; min $rpc_min, p90 $rpc_p90; first call $rpc_first ms; $rpc_bytes bytes"

# ---------------------------------------------------------------- schema vs version
echo "measuring: terraform providers schema -json vs terraform version ($TF_RUNS each)" >&2
make_mirror "$WORK/plain" "$BIN"
make_workdir "$WORK/plain/work" "$WORK/plain"
read -r v_med s_med < <(cd "$WORK/plain/work" && tf_env "$WORK/plain/terraform.rc" \
  "$PY" "$HERE/measure.py" pair "$TF_RUNS" "$TERRAFORM" version -- "$TERRAFORM" providers schema -json)
ratio=$(awk -v s="$s_med" -v v="$v_med" 'BEGIN { printf "%.2f×", s / v }')
row "terraform version" "$v_med ms" "" "median of $TF_RUNS; terraform's own floor"
row "terraform providers schema -json (dbrail)" "$s_med ms" "" "median of $TF_RUNS, alternated with version"
row "ratio schema / version" "$ratio" "" "what starting dbrail and fetching its schema adds"

# ---------------------------------------------------------------- memory
if [ "${BENCH_RSS_MODE:-}" != poll ] && /usr/bin/time -v true >/dev/null 2>&1; then
  RSS_MODE=time
  rss_how="GNU time -v on the provider process"
  launch="exec /usr/bin/time -v -o \"\$DBRAIL_BENCH_REPORTS/rss.\$\$\" \"$BIN\" \"\$@\""
else
  RSS_MODE=poll
  rss_how="polled /proc/<pid>/status VmHWM"
  launch="exec \"$BIN\" \"\$@\""
fi
cat >"$WORK/provider-wrapper" <<EOF
#!/bin/sh
# Runs the provider for terraform and leaves its pid (and memory report) in DBRAIL_BENCH_REPORTS.
echo \$\$ >>"\$DBRAIL_BENCH_REPORTS/pids"
$launch
EOF
chmod +x "$WORK/provider-wrapper"
make_mirror "$WORK/wrapped" "$WORK/provider-wrapper"
make_workdir "$WORK/wrapped/work" "$WORK/wrapped"

# Measures the provider's peak RSS while terraform runs "$@" in the wrapped workdir.
# Prints: peak_kib processes_reported processes_started
measure_rss() {
  REPORTS=$WORK/reports/$1
  shift
  mkdir -p "$REPORTS"
  (cd "$WORK/wrapped/work" && tf_env "$WORK/wrapped/terraform.rc" \
    "$PY" "$HERE/measure.py" rss "$RSS_MODE" "$REPORTS" -- "$TERRAFORM" "$@")
}

echo "measuring: provider memory during terraform providers schema -json" >&2
read -r kib reported started < <(measure_rss schema providers schema -json)
row "provider peak RSS: providers schema -json" "$(mib "$kib")" "< 30 MiB" \
  "max of $reported/$started provider processes; $rss_how"

emulator_note=""
if ! "$PY" -c 'import moto.server' >/dev/null 2>&1; then
  emulator_note="moto is not installed (make deps installs it)"
else
  echo "starting the AWS API emulator" >&2
  coproc EMU { exec "$PY" -u "$ROOT/acceptance-tests/emulator/boot.py" 2>"$WORK/emulator.log"; }
  EMULATOR_PID=$EMU_PID EMULATOR_IN=${EMU[1]} EMULATOR_OUT=${EMU[0]}
  port=""
  while IFS= read -r -t 60 line <&"$EMULATOR_OUT"; do
    case $line in
      "DBRAIL_EMULATOR_PORT "*) port=${line#DBRAIL_EMULATOR_PORT }; break ;;
      "DBRAIL_EMULATOR_MISSING "*) emulator_note="emulator unavailable: ${line#DBRAIL_EMULATOR_MISSING }"; break ;;
    esac
  done
  if [ -n "$port" ]; then
    ENDPOINT=http://127.0.0.1:$port
    if ! "$PY" - "$ENDPOINT/moto-api/" <<'EOF'; then
import sys, time, urllib.request
deadline = time.time() + 60
while time.time() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=5).status == 200:
            sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
EOF
      emulator_note="the emulator did not become ready: $(tail -n 5 "$WORK/emulator.log")"
    fi
  elif [ -z "$emulator_note" ]; then
    emulator_note="the emulator reported no port: $(tail -n 5 "$WORK/emulator.log")"
  fi
fi

if [ -z "$emulator_note" ]; then
  echo "measuring: provider memory during terraform plan (create, then after apply)" >&2
  read -r kib reported started < <(measure_rss plan-create plan -input=false -no-color -lock=false)
  row "provider peak RSS: plan of the example (create)" "$(mib "$kib")" "< 30 MiB" \
    "max of $reported/$started provider processes; emulator"
  REPORTS=$WORK/reports/apply
  mkdir -p "$REPORTS"
  (cd "$WORK/wrapped/work" && quiet tf_env "$WORK/wrapped/terraform.rc" \
    "$TERRAFORM" apply -auto-approve -input=false -no-color)
  read -r kib reported started < <(measure_rss plan-refresh plan -input=false -no-color -lock=false)
  row "provider peak RSS: plan of the example (refresh, after apply)" "$(mib "$kib")" "< 30 MiB" \
    "max of $reported/$started provider processes; emulator"
else
  row "provider peak RSS: plan of the example" "skipped" "< 30 MiB" "$emulator_note"
fi

# ---------------------------------------------------------------- plan overhead
# A working directory holding stdin as main.tf, initialised with the mirror $2.
make_plan_dir() {
  local dir=$1 mirror_dir=$2
  mkdir -p "$dir"
  cat >"$dir/main.tf"
  (cd "$dir" && quiet tf_env "$mirror_dir/terraform.rc" "$TERRAFORM" init -input=false -no-color)
}
# dbrail required and configured, with $1 baselines (none for 0).
dbrail_config() {
  printf 'terraform {\n  required_providers {\n    dbrail = { source = "dbrail/dbrail", version = "%s" }\n  }\n}\n\nprovider "dbrail" {}\n' "$VERSION"
  if [ "$1" -gt 0 ]; then
    printf '\nresource "dbrail_parameter_baseline" "b" {\n  count  = %d\n  name   = "bench-${count.index}"\n  family = "aurora-postgresql16"\n}\n' "$1"
  fi
}
# $1 terraform_data resources: the floor.
floor_config() {
  printf 'resource "terraform_data" "b" {\n  count = %d\n  input = "bench-${count.index}"\n}\n' "$1"
}
PLAN_ARGS=(plan -refresh=false -input=false -no-color -lock=false)
# Prints: median_A median_B (ms) for plans alternated in directories $1 and $2.
plan_pair() {
  tf_env "$WORK/plain/terraform.rc" "$PY" "$HERE/measure.py" pair "$PLAN_RUNS" \
    "$TERRAFORM" -chdir="$1" "${PLAN_ARGS[@]}" -- "$TERRAFORM" -chdir="$2" "${PLAN_ARGS[@]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }

if [ -z "$emulator_note" ]; then
  echo "measuring: empty plan, dbrail configured vs no provider ($PLAN_RUNS each)" >&2
  printf '# nothing\n' | make_plan_dir "$WORK/plan/none" "$WORK/plain"
  dbrail_config 0 | make_plan_dir "$WORK/plan/empty" "$WORK/plain"
  read -r none_med empty_med < <(plan_pair "$WORK/plan/none" "$WORK/plan/empty")
  row "empty plan: no provider" "$none_med ms" "" "median of $PLAN_RUNS; terraform's own floor"
  row "empty plan: dbrail configured, no resources" "$empty_med ms" "≤ floor + 50 ms" \
    "+$(awk -v a="$empty_med" -v b="$none_med" 'BEGIN { printf "%.0f", a - b }') ms over no provider"
  for n in $PLAN_SIZES; do
    echo "measuring: plan of $n resources, dbrail vs terraform_data ($PLAN_RUNS each)" >&2
    floor_config "$n" | make_plan_dir "$WORK/plan/floor-$n" "$WORK/plain"
    dbrail_config "$n" | make_plan_dir "$WORK/plan/dbrail-$n" "$WORK/plain"
    read -r floor_med dbrail_med < <(plan_pair "$WORK/plan/floor-$n" "$WORK/plan/dbrail-$n")
    target=""
    if [ "$n" = 1000 ]; then target="≤ 1.3×"; fi
    row "plan -refresh=false, $n terraform_data (floor)" "$floor_med ms" "" "median of $PLAN_RUNS"
    row "plan -refresh=false, $n dbrail_parameter_baseline" "$dbrail_med ms" "" "median of $PLAN_RUNS, alternated with the floor"
    row "ratio dbrail / floor at $n" "$(ratio "$dbrail_med" "$floor_med")" "$target" ""
  done
  echo "measuring: provider memory during the plan of 5000 resources" >&2
  dbrail_config 5000 | make_plan_dir "$WORK/wrapped/plan-5000" "$WORK/wrapped"
  REPORTS=$WORK/reports/plan-5000
  mkdir -p "$REPORTS"
  read -r kib reported started < <(cd "$WORK/wrapped/plan-5000" && tf_env "$WORK/wrapped/terraform.rc" \
    "$PY" "$HERE/measure.py" rss "$RSS_MODE" "$REPORTS" -- "$TERRAFORM" "${PLAN_ARGS[@]}")
  row "provider peak RSS: plan of 5000 resources" "$(mib "$kib")" "≤ 25 MiB" \
    "max of $reported/$started provider processes; $rss_how"
else
  row "plan overhead and RSS at 5000" "skipped" "" "$emulator_note"
fi

# ---------------------------------------------------------------- size
size=$(stat -c %s "$BIN")
strip -o "$WORK/stripped" "$BIN" 2>/dev/null || cp "$BIN" "$WORK/stripped"
stripped=$(stat -c %s "$WORK/stripped")
size_note="$stripped bytes"
if [ $((size - stripped)) -gt 4096 ]; then
  size_note="$size_note (as built: $size bytes, not stripped)"
else
  size_note="$size_note (built stripped)"
fi
row "provider binary, stripped" "$(mib $((stripped / 1024)))" "≤ 20 MB" "$size_note"

# ---------------------------------------------------------------- table
{
  printf 'measurement\tresult\ttarget\tnotes\n'
  printf '%s\n' "${ROWS[@]}"
} | "$PY" -c '
import sys
rows = [line.rstrip("\n").split("\t") for line in sys.stdin]
widths = [max(len(r[i]) for r in rows) for i in range(4)]
def show(r):
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
show(rows[0])
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows[1:]:
    show(r)
'
