#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]
# Runs each fuzz target (default: all five) under AFL++ for SECONDS, from the corpus in fuzz/corpus/<target>/, with
# ScriptHarness.dll and Acornima.dll instrumented by SharpFuzz. Findings go to artifacts/fuzz/<target>/default/
# {crashes,hangs}/ and are copied to fuzz/findings/<target>/ (replay them, then make each a regression test in
# tests/ScriptHarness.Tests/Fuzz/). FUZZ_KEEP_CORPUS=1 copies AFL's new queue entries into the corpus.
# Exits 1 when any target found a crash or a hang, or when a corpus input fails its replay. FUZZ_FINDINGS_FAIL=0 (CI's
# smoke) reports new findings with their bytes but fails only on the replay: a 30-second random search must not decide
# whether a landing lands; `dotnet build -t:Fuzz` (the default) fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(detector validator msgpack schema decoder)

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz: installing AFL++ (Debian package afl++)"
  { apt-get install -y -qq afl++ >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq afl++ >/dev/null; }; } || { echo "fuzz: afl++ is not installed and could not be installed" >&2; exit 1; }
fi

dotnet tool restore >/dev/null
out=artifacts/fuzz
bin=$out/bin
rm -rf "$bin"
dotnet publish fuzz/ScriptHarness.Fuzz -c Release -o "$bin" -p:TreatWarningsAsErrors=true --nologo -v quiet
# Every corpus input must pass before fuzzing (the corpus holds the regressions too). Before instrumenting: the
# instrumented code writes to AFL's shared memory and cannot run without afl-fuzz.
for t in "${targets[@]}"; do
  dotnet "$bin/ScriptHarness.Fuzz.dll" "$t" replay "fuzz/corpus/$t"
done

for dll in ScriptHarness.dll Acornima.dll; do
  dotnet sharpfuzz "$bin/$dll" >/dev/null
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
found=0
for t in "${targets[@]}"; do
  rm -rf "${out:?}/$t"
  echo "fuzz: $t for ${seconds}s"
  # -t: a .NET start is slow on a loaded machine; an input still running after 5 s is a hang worth keeping.
  afl-fuzz -V "$seconds" -t 5000 -m none -i "fuzz/corpus/$t" -o "$out/$t" -- dotnet "$bin/ScriptHarness.Fuzz.dll" "$t" >"$out/$t.log" 2>&1 || true
  stats="$out/$t/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    echo "fuzz: $t: $(grep -E '^(execs_done|corpus_count|saved_crashes|saved_hangs|run_time) ' "$stats" | awk '{printf "%s=%s ", $1, $3}')"
  else
    echo "fuzz: $t: afl-fuzz did not start, see $out/$t.log" >&2
    tail -20 "$out/$t.log" >&2
    found=1
    continue
  fi
  for kind in crashes hangs; do
    for f in "$out/$t/default/$kind"/id:*; do
      [ -e "$f" ] || continue
      mkdir -p "fuzz/findings/$t"
      cp "$f" "fuzz/findings/$t/$kind-$(sha1sum "$f" | cut -c1-12)"
      found=1
    done
  done
  if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
    for f in "$out/$t/default/queue"/id:*; do
      cp "$f" "fuzz/corpus/$t/q-$(sha1sum "$f" | cut -c1-12)"
    done
  fi
done

if [ "$found" -ne 0 ]; then
  echo "fuzz: FOUND crashes or hangs: see fuzz/findings/" >&2
  # The inputs themselves, so a finding on a CI machine can be replayed and added to the corpus from its log.
  for f in fuzz/findings/*/*; do echo "fuzz: finding $f base64 $(base64 -w0 "$f")" >&2; done
  if [ "${FUZZ_FINDINGS_FAIL:-1}" = 0 ]; then
    echo "fuzz: FUZZ_FINDINGS_FAIL=0: findings reported, not failed (the corpus replay above still gates)" >&2
    exit 0
  fi
  exit 1
fi
echo "fuzz: no crash or hang"
