#!/usr/bin/env bash
# npm run bench: every benchmark in bench/ (or the ones named: npm run bench -- zoho-crm rfm-scorer),
# each printing its own figures. Benchmarks run the TypeScript sources directly (scripts/run-ts.js), so
# no build is needed. Figures depend on the machine; the README quotes them with the machine they came from.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  files=()
  for name in "$@"; do files+=("bench/${name%.bench.ts}.bench.ts"); done
else
  files=(bench/*.bench.ts)
fi
echo "node $(node -v), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "no benchmark $file (have: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' '))" >&2; exit 2; }
  echo
  echo "== ${file} =="
  node scripts/run-ts.js "$file"
done
