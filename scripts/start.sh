#!/usr/bin/env bash
# npm start: build, then real n8n with this package and the templates (see scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
exec node scripts/run-ts.js scripts/start.ts
