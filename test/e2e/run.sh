#!/usr/bin/env bash
# Sift's end-to-end tests: the packaged extension in a real VS Code (code-server + chromium), then the language
# server in Neovim. Builds the .vsix when it is missing or older than the sources; installs the test tools with
# .ci/install-e2e.sh when they are missing. Exits non-zero if either test fails. Artifacts: artifacts/e2e/.
set -uo pipefail
cd "$(dirname "$0")/../.."
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
T0=$(now)

CS=test/e2e/code-server/node_modules/.bin/code-server
if [ ! -x "$CS" ] || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] || ! command -v "${NVIM:-nvim}" >/dev/null; then
  bash .ci/install-e2e.sh || exit 1
fi

VSIX=${VSIX:-sift-$(node -p "require('./package.json').version").vsix}
stale=
if [ -f "$VSIX" ]; then
  stale=$(find server/src client/src package.json scripts/build.mjs $(ls -d models syntaxes language-configuration.json 2>/dev/null) \
    -newer "$VSIX" -print -quit 2>/dev/null)
fi
if [ ! -f "$VSIX" ] || [ -n "$stale" ] || [ ! -f dist/server.js ] || [ ! -f dist/cli.js ]; then
  echo "== e2e: npm run package${stale:+ ($stale is newer than $VSIX)}"
  t=$(now)
  npm run --silent package || { echo "e2e: npm run package failed" >&2; exit 1; }
  echo "== e2e: packaged $VSIX in $(ms "$t") ms"
fi
export VSIX

status=0
echo "== e2e: VS Code (code-server $(node -p "require('./test/e2e/code-server/node_modules/code-server/package.json').version"), chromium)"
t=$(now)
node test/e2e/vscode.mjs || status=1
VSC_MS=$(ms "$t")
echo "== e2e: Neovim"
t=$(now)
node test/e2e/neovim.mjs || status=1
NVIM_MS=$(ms "$t")
echo "== e2e: VS Code test ${VSC_MS} ms, Neovim test ${NVIM_MS} ms, e2e total $(ms "$T0") ms: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
