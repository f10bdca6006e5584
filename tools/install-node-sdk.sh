#!/usr/bin/env bash
# Installs the official Tencent Cloud Node.js SDK for the second-language wire tests
# (tests/server/test_node_sdk.py) into tests/node/node_modules (gitignored), exactly as
# pinned by the committed tests/node/package-lock.json. Idempotent: it does nothing when
# the pinned version is already there. Without node/npm it installs nothing and says so;
# the Node.js tests then skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-node-sdk: node or npm not found; the Node.js SDK tests will be skipped" >&2
  exit 0
fi
want=$(node -p 'require("./package-lock.json").packages["node_modules/tencentcloud-sdk-nodejs"].version')
have=$(node -p 'try { require("./node_modules/tencentcloud-sdk-nodejs/package.json").version } catch (e) { "" }')
if [ "$have" = "$want" ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0  # installed from this lock file already
fi
# npm ci installs exactly the lock file; no install scripts run (none are needed, and
# this may run as root); the npm cache stays in its usual place.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
