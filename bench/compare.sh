#!/usr/bin/env bash
# One run, ours next to the JavaScript sandboxes: (a) prepares the Node anchors of shared/anchors/quickjs-bench,
# (b) runs them, (c) runs our workloads (the compact mode of bench/ScriptHarness.Benchmarks: same workload ids, same
# method, each in its own process) and the start-up rows (bench/tools/cli-bench.mjs: CLI cold start and per-block cost,
# Node anchors' cold starts), (d) writes artifacts/bench/comparison.md, and with --write-readme copies the table
# into README.md (tracked: a run never changes it unless asked). About 4-6 minutes on 2 cores (plus isolated-vm's first
# build).
#
#   bash bench/compare.sh                 # everything; the table goes to artifacts/bench/comparison.md only
#   bash bench/compare.sh --write-readme  # also copy the table between README.md's bench markers
#   bash bench/compare.sh --quick         # few iterations on both sides, to try the plumbing (figures meaningless)
#   bash bench/compare.sh --workloads telemetry   # only these of our workloads (comma list of ids), no Node anchors
#
# ANCHORS_SRC overrides where bench.mjs comes from (default ../shared/anchors/quickjs-bench, beside the repo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=()
readme=()
only=()
usage="usage: bash bench/compare.sh [--write-readme] [--quick] [--workloads ID,...]"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --write-readme) readme=(--readme "$root/README.md") ;;
    --no-readme) readme=() ;; # the default since --write-readme; still accepted
    --workloads)
      [ $# -ge 2 ] || { echo "compare.sh: --workloads needs a comma list of workload ids (W1,W3,telemetry,...)" >&2; exit 2; }
      only=(--workloads "$2"); shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option '$1'" >&2
       echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
if [ ${#only[@]} -gt 0 ] && [ ${#readme[@]} -gt 0 ]; then
  # A partial run would replace README.md's whole table with a table of mostly empty cells.
  echo "compare.sh: --workloads runs part of the table; it cannot be combined with --write-readme" >&2
  exit 2
fi

# The load before anything of this run started: the one-minute average read later includes the anchors' own work.
[ -r /proc/loadavg ] && export BENCH_LOADAVG_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
anchors_src=${ANCHORS_SRC:-$root/../shared/anchors/quickjs-bench}
anchors_dir=$root/artifacts/anchors/quickjs-bench
out=$root/artifacts/bench
mkdir -p "$anchors_dir" "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# (a) The Node anchors, copied out of shared/ (read-only there) and installed here. isolated-vm is an optional
# dependency built from source: when it cannot be built, npm still succeeds and bench.mjs skips that anchor.
anchors_jsonl=$out/anchors.jsonl
rm -f "$anchors_jsonl"
if [ ${#only[@]} -gt 0 ]; then
  echo "[compare] --workloads: our workloads only, no Node anchors" >&2
elif [ -f "$anchors_src/bench.mjs" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  cp "$anchors_src/bench.mjs" "$anchors_src/package.json" "$anchors_dir/"
  nodedir=()
  [ -f /usr/include/node/node.h ] && nodedir=(--nodedir=/usr)
  echo "[compare] npm install in $anchors_dir" >&2
  if (cd "$anchors_dir" && npm install --no-audit --no-fund "${nodedir[@]}" >"$out/npm-install.log" 2>&1); then
    # (b) Every (anchor, workload) in its own node process; progress on stderr, JSONL into the file.
    echo "[compare] node bench.mjs" >&2
    (cd "$anchors_dir" && node bench.mjs --out "$anchors_jsonl" "${quick[@]}" >/dev/null) \
      || echo "[compare] warning: bench.mjs failed; the table has what it wrote" >&2
  else
    echo "[compare] warning: npm install failed (see $out/npm-install.log); the table has no Node anchors" >&2
  fi
else
  echo "[compare] warning: no $anchors_src/bench.mjs or no node/npm; the table has no Node anchors" >&2
fi

# (c) Ours: the compact mode, not the BenchmarkDotNet suite (that one is dotnet build -t:Bench).
echo "[compare] building bench/ScriptHarness.Benchmarks (Release)" >&2
dotnet build bench/ScriptHarness.Benchmarks/ScriptHarness.Benchmarks.csproj -c Release -v q -nologo >"$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 1; }
bench_dll=$root/bench/ScriptHarness.Benchmarks/bin/Release/net10.0/ScriptHarness.Benchmarks.dll
ours_status=0
dotnet "$bench_dll" compact --out "$out/ours.jsonl" "${quick[@]}" "${only[@]}" >/dev/null || ours_status=$?

# (c2) Start-up and the CLI path (issue 12): the Release CLI's cold start to its first result line per engine and its
# marginal cost per block, and the Node anchors' cold starts (node + quickjs-emscripten, node + isolated-vm), each in
# fresh processes; appended to ours.jsonl and anchors.jsonl. Not with --workloads (a run of part of the table).
if [ ${#only[@]} -eq 0 ] && [ -f bench/tools/cli-bench.mjs ] && command -v node >/dev/null; then
  echo "[compare] building src/ScriptHarness.Cli (Release, ReadyToRun) for the start-up rows" >&2
  dotnet build src/ScriptHarness.Cli/ScriptHarness.Cli.csproj -c Release -v q -nologo >"$out/build-cli.log" 2>&1 \
    || { cat "$out/build-cli.log" >&2; exit 1; }
  anchors_dir_arg=()
  [ -d "$anchors_dir/node_modules" ] && anchors_dir_arg=(--anchors-dir "$anchors_dir")
  node bench/tools/cli-bench.mjs --cli "$root/src/ScriptHarness.Cli/bin/Release/net10.0/ScriptHarness.Cli" "${anchors_dir_arg[@]}" \
    --ours "$out/ours.jsonl" --anchors "$anchors_jsonl" "${quick[@]}" \
    || echo "[compare] warning: cli-bench.mjs failed; the start-up rows have what it wrote" >&2
fi

# (d) One table, with the date and the machine; with --write-readme the README keeps a copy between its bench markers.
dotnet "$bench_dll" report --anchors "$anchors_jsonl" --ours "$out/ours.jsonl" --out "$out/comparison.md" "${readme[@]}" >/dev/null
echo "[compare] wrote $out/comparison.md" >&2
if [ ${#readme[@]} -gt 0 ]; then
  echo "[compare] copied the table into README.md" >&2
else
  echo "[compare] README.md left alone (--write-readme copies the table into it)" >&2
fi
exit "$ours_status"
