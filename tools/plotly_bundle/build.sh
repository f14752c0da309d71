#!/usr/bin/env bash
# Rebuild assets/05-plotly-partial.min.js: the plotly.js version the pip `plotly` package bundles, with only
# the trace types the dashboard draws (entry.js). Needs node and the npm registry; run after upgrading plotly
# or when a page starts using another trace type (check: grep '"type":' dashboard/).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
VERSION=${1:-$("$PY" -c 'from plotly.offline import get_plotlyjs_version as v; print(v())')}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/entry.js" "$HERE/build.js" "$WORK/"
cd "$WORK"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "plotly.js@$VERSION" esbuild@0.28 esbuild-plugin-inline-css \
  esbuild-plugin-glsl esbuild-plugin-environment >npm.log 2>&1 || { tail -20 npm.log; exit 1; }
node build.js "$VERSION" "$REPO/assets/05-plotly-partial.min.js"
