#!/usr/bin/env bash
# npm run test:scale: the queue-mode suite (test/scale/run.ts). Installs PostgreSQL and Redis from
# Debian's packages when missing. SCALE_ORDERS (2000), SCALE_CONCURRENCY (10 deliveries in flight), SCALE_PHASES (clean,storm) and N8N_VERSION tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  # The Debian packages start their own services; the suite runs private ones on free ports.
  $SUDO service redis-server stop >/dev/null 2>&1 || true
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi
npm run build --silent 2>&1 | tail -n 3
exec node scripts/run-ts.js test/scale/run.ts
