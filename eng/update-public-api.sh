#!/usr/bin/env bash
# Regenerates the declared public API (PublicAPI.Shipped.txt) of every library that declares one (DeclaresPublicApi in
# Directory.Build.targets: packable, not an executable, under src/, engines/ or conformance/) from the code as it is: both files are
# emptied, `dotnet format analyzers` applies PublicApiAnalyzers' fix for RS0016 (symbol not declared), which writes
# every public symbol to PublicAPI.Unshipped.txt, and the result moves, sorted, to PublicAPI.Shipped.txt. Run it after
# a deliberate change to the public surface, then review the diff.
#
#   bash eng/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."

header='#nullable enable'
projects=()
for proj in src/*/*.csproj engines/*/*.csproj conformance/*/*.csproj; do
  if [ "$(dotnet msbuild "$proj" -getProperty:DeclaresPublicApi 2>/dev/null | tr -d '[:space:]')" = true ]; then
    projects+=("$(dirname "$proj")/")
  fi
done
echo "public API of: ${projects[*]}"

for dir in "${projects[@]}"; do
  printf '%s\n' "$header" > "${dir}PublicAPI.Shipped.txt"
  printf '%s\n' "$header" > "${dir}PublicAPI.Unshipped.txt"
done

for dir in "${projects[@]}"; do
  dotnet format analyzers "$dir" --diagnostics RS0016 RS0017 --severity warn
  { printf '%s\n' "$header"; grep -v -e '^#nullable' -e '^$' "${dir}PublicAPI.Unshipped.txt" | LC_ALL=C sort -u || true; } > "${dir}PublicAPI.Shipped.txt.new"
  mv "${dir}PublicAPI.Shipped.txt.new" "${dir}PublicAPI.Shipped.txt"
  printf '%s\n' "$header" > "${dir}PublicAPI.Unshipped.txt"
done
