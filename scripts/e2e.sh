#!/usr/bin/env bash
# npm run test:e2e: the end-to-end suite on every pinned n8n release (scripts/n8n/versions.json).
# Installs what it needs on a fresh machine: the n8n releases (cached outside the tree) and
# Debian's chromium for the canvas screenshots. N8N_VERSIONS="x.y.z" narrows the run to some releases.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Installing Debian's chromium for canvas screenshots..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npm run build --silent 2>&1 | tail -n 3

versions="${N8N_VERSIONS:-$(node -e 'console.log(require("./scripts/n8n/versions.json").tested.join(" "))')}"
for version in $versions; do
  echo "=== n8n $version ==="
  # Install (or reuse) before the tests so the install time does not count against test time-outs.
  bash scripts/install-n8n.sh "$version" >/dev/null
  N8N_VERSION="$version" npx jest --config test/e2e/jest.config.js --runInBand "$@"
done
echo "Canvas screenshots: $(pwd)/.artifacts/screenshots"
