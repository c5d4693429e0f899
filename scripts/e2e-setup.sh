#!/usr/bin/env bash
# Prepares this machine for the end-to-end tests that run the extension in a real
# VS Code workbench: code-server (VS Code server + web workbench) driven by headless
# Chromium through playwright-core.
#
# Safe to run on every CI run: when everything is already in place it only checks and
# exits within a second. Installs nothing into the repository:
#   - Debian packages chromium, ripgrep, libkrb5-dev (+ a font for readable screenshots)
#   - code-server into "$CDP_E2E_CACHE" (default: ~/.cache/cdp-workflow-e2e)
#
# Concurrent runs (several e2e test files starting at once) are serialised by a lock.
# Prints the code-server executable path as the last line on stdout when asked with
# --print-bin; everything else goes to stderr.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${CDP_E2E_CACHE:-$HOME/.cache/cdp-workflow-e2e}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
MARKER="$PREFIX/.installed"
APT_PACKAGES=(chromium ripgrep libkrb5-dev fonts-dejavu-core)
# Version of the ripgrep archive that @vscode/ripgrep (used by code-server) looks for.
RG_CACHE_VERSION=1.15.11
RG_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

print_bin=0
[[ "${1:-}" == "--print-bin" ]] && print_bin=1

log() { echo "e2e-setup: $*" >&2; }
die() {
  echo "e2e-setup: ERROR: $*" >&2
  exit 1
}

start=$(date +%s)
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 900 9 || die "could not take the lock $CACHE/.lock within 15 minutes"

did=()

# 1. Debian packages ---------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$CACHE/apt.log"
  if ! "${SUDO[@]}" apt-get update -qq >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get update failed (full log: $apt_log)"
  fi
  if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get install ${missing[*]} failed (full log: $apt_log)"
  fi
  did+=("apt: ${missing[*]}")
fi
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium missing after installing the chromium package"
command -v rg >/dev/null || die "rg missing after installing the ripgrep package"

# 2. code-server into the cache folder --------------------------------------------------
if [[ ! -x "$BIN" || "$(cat "$MARKER" 2>/dev/null)" != "$CODE_SERVER_VERSION"* ]]; then
  # @vscode/ripgrep (a dependency of code-server) downloads ripgrep in its install script
  # unless it finds the archive in its cache folder: put Debian's rg there.
  tmp_dir="$(node -p 'require("os").tmpdir()')"
  rg_cache="$tmp_dir/vscode-ripgrep-cache-$RG_CACHE_VERSION"
  if [[ ! -s "$rg_cache/$RG_ARCHIVE" ]]; then
    mkdir -p "$rg_cache/x"
    cp "$(command -v rg)" "$rg_cache/x/rg"
    tar czf "$rg_cache/$RG_ARCHIVE.part" -C "$rg_cache/x" rg
    mv "$rg_cache/$RG_ARCHIVE.part" "$rg_cache/$RG_ARCHIVE"
    did+=("ripgrep archive: $rg_cache/$RG_ARCHIVE")
  fi
  log "installing code-server@$CODE_SERVER_VERSION into $PREFIX (takes a couple of minutes)"
  staging="$PREFIX.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  echo '{"name":"cdp-e2e-code-server","private":true}' >"$staging/package.json"
  if ! npm_config_yes=true npm install --prefix "$staging" --unsafe-perm --no-audit --no-fund \
    --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$CACHE/npm-install.log" 2>&1; then
    tail -n 40 "$CACHE/npm-install.log" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed (full log: $CACHE/npm-install.log)"
  fi
  # The native modules must have been built, or the server starts but the workbench fails.
  for f in node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
    node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node; do
    [[ -e "$staging/$f" ]] || die "code-server install is incomplete: $f missing (see $CACHE/npm-install.log)"
  done
  rm -rf "$PREFIX"
  mv "$staging" "$PREFIX"
  version="$("$BIN" --config /dev/null --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n1 || true)"
  [[ "$version" == "$CODE_SERVER_VERSION"* ]] ||
    die "$BIN --version printed '$version', expected $CODE_SERVER_VERSION; delete $PREFIX and rerun"
  echo "$version" >"$MARKER"
  did+=("code-server $CODE_SERVER_VERSION: $PREFIX")
fi

# 3. playwright-core comes from the project's devDependencies ----------------------------
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f "$repo/node_modules/playwright-core/package.json" ]] ||
  die "playwright-core is not installed in $repo/node_modules; run npm ci first"

secs=$(($(date +%s) - start))
if ((${#did[@]} == 0)); then
  log "everything already in place (code-server $CODE_SERVER_VERSION, chromium, ripgrep) [${secs}s]"
else
  for d in "${did[@]}"; do log "did: $d"; done
  log "ready in ${secs}s"
fi
if ((print_bin)); then echo "$BIN"; fi
