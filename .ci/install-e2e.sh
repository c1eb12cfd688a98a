#!/usr/bin/env bash
# Installs what the end-to-end tests in test/e2e need, from Debian apt and the npm registry only:
#   apt  chromium (driven by playwright-core), neovim (second LSP client), ripgrep (seeds code-server's rg download),
#        libkrb5-dev (code-server's kerberos module builds against it), fonts-dejavu-core (screenshots with glyphs);
#   npm  code-server 4.100.3 (pinned in test/e2e/code-server/package-lock.json), into test/e2e/code-server/node_modules,
#        apart from the project's node_modules. playwright-core comes with the project's devDependencies (npm ci).
# Idempotent: a second run finds everything in place and installs nothing (a few hundred ms).
# See ../shared/docs/real-editor-testing.md for the pitfalls this works around.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CS_DIR=$ROOT/test/e2e/code-server
SECONDS_START=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }
log() { echo "== install-e2e: $*"; }

# --- apt ------------------------------------------------------------------------------------------------------------
APT_PKGS=(chromium neovim ripgrep libkrb5-dev fonts-dejavu-core g++ make)
command -v python3 >/dev/null || APT_PKGS+=(python3)   # node-gyp needs a python3; any one on PATH will do
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  t=$(date +%s%N)
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt/dpkg may hold the lock (pitfall 14): wait for it rather than fail.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "apt done in $(elapsed "$t")"
else
  log "apt packages already installed: ${APT_PKGS[*]}"
fi

# --- playwright-core (the project's devDependency) ------------------------------------------------------------------
if ! node -e "require.resolve('playwright-core')" 2>/dev/null; then
  echo "install-e2e: playwright-core is missing from node_modules: run 'npm ci' in $ROOT first" >&2
  exit 1
fi

# --- code-server ----------------------------------------------------------------------------------------------------
# The stamp records the lockfile and the Node ABI it was built for; code-server is reinstalled when either changes.
STAMP=$CS_DIR/node_modules/.sift-e2e-installed
WANT="$(sha256sum "$CS_DIR/package-lock.json" | cut -d' ' -f1) node-abi-$(node -p process.versions.modules)"
if [ -x "$CS_DIR/node_modules/.bin/code-server" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  log "code-server already installed ($(node -p "require('$CS_DIR/node_modules/code-server/package.json').version"))"
else
  t=$(date +%s%N)
  CS_VERSION=$(node -p "require('$CS_DIR/package-lock.json').packages['node_modules/code-server'].version")
  NODE_WANT=$(npm view "code-server@$CS_VERSION" engines.node 2>/dev/null || true)
  if [ -n "$NODE_WANT" ] && [ "$NODE_WANT" != "$(node -p 'process.versions.node.split(".")[0]')" ]; then
    echo "install-e2e: code-server $CS_VERSION is built for Node $NODE_WANT, this is Node $(node --version) (pitfall 1)" >&2
    exit 1
  fi
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  # @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable) unless it finds its cache file under
  # $TMPDIR (pitfall 4). Read the pinned @vscode/ripgrep version and its rg tag from the npm tarballs, and put
  # Debian's rg there under that name.
  (cd "$WORK" && npm pack --silent "code-server@$CS_VERSION" >/dev/null 2>&1)
  tar -xzf "$WORK/code-server-$CS_VERSION.tgz" -C "$WORK" package/lib/vscode/npm-shrinkwrap.json
  RG_PKG=$(node -p "require('$WORK/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep']?.version ?? ''")
  if [ -n "$RG_PKG" ]; then
    (cd "$WORK" && npm pack --silent "@vscode/ripgrep@$RG_PKG" >/dev/null 2>&1)
    mkdir -p "$WORK/rgpkg"
    tar -xzf "$WORK/vscode-ripgrep-$RG_PKG.tgz" -C "$WORK/rgpkg" package/lib/postinstall.js package/lib/download.js
    RG_TAG=$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$WORK/rgpkg/package/lib/postinstall.js")
    grep -q 'vscode-ripgrep-cache-${packageVersion}' "$WORK/rgpkg/package/lib/download.js" || {
      echo "install-e2e: @vscode/ripgrep $RG_PKG no longer uses the cache layout this script seeds" >&2; exit 1; }
    case "$(uname -m)" in x86_64) RG_TARGET=x86_64-unknown-linux-musl ;; aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
      *) echo "install-e2e: no ripgrep target for $(uname -m)" >&2; exit 1 ;; esac
    mkdir -p "$WORK/tmp/vscode-ripgrep-cache-$RG_PKG" "$WORK/rg"
    cp "$(command -v rg)" "$WORK/rg/rg"
    tar -czf "$WORK/tmp/vscode-ripgrep-cache-$RG_PKG/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$WORK/rg" rg
    log "seeded @vscode/ripgrep $RG_PKG cache with Debian's rg as $RG_TAG"
  else
    mkdir -p "$WORK/tmp"   # newer code-server: rg comes from npm (@vscode/ripgrep-universal)
  fi
  log "npm ci code-server $CS_VERSION (builds native modules; about a minute)"
  rm -f "$STAMP"
  # pitfall 2: postinstall.sh refuses root without npm_config_unsafe_perm; pitfall 5: node-pty runs `npx node-gyp`,
  # which a `yes=false` npmrc cancels; pitfall 4: TMPDIR holds the ripgrep seed.
  if ! (cd "$CS_DIR" && TMPDIR="$WORK/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
        npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm-ci.log" 2>&1); then
    tail -n 60 "$WORK/npm-ci.log" >&2
    echo "install-e2e: npm ci of code-server failed (log above)" >&2
    exit 1
  fi
  echo "$WANT" >"$STAMP"
  log "code-server $CS_VERSION installed in $(elapsed "$t")"
fi
log "all in place in $(elapsed "$SECONDS_START")"
