#!/usr/bin/env bash
# Prepares this machine for test/editors/neovim.test.ts: installs Debian's neovim when
# `nvim` is missing (as root, or with sudo). Safe to run every time: when nvim is there
# it only checks. Prints the nvim path as the last line on stdout; everything else goes
# to stderr. Exits non-zero with the reason when nvim cannot be installed.
set -euo pipefail

log() { echo "neovim-setup: $*" >&2; }
die() {
  echo "neovim-setup: ERROR: $*" >&2
  exit 1
}

if ! command -v nvim >/dev/null; then
  command -v apt-get >/dev/null || die "nvim is not installed and this system has no apt-get to install it"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install neovim"
    SUDO=(sudo -n)
  fi
  cache="${CDP_E2E_CACHE:-$HOME/.cache/cdp-workflow-e2e}"
  mkdir -p "$cache"
  exec 9>"$cache/.neovim.lock"
  flock -w 600 9 || die "could not take the lock $cache/.neovim.lock within 10 minutes"
  if ! command -v nvim >/dev/null; then
    log "installing the Debian package neovim"
    export DEBIAN_FRONTEND=noninteractive
    apt_log="$cache/apt-neovim.log"
    if ! "${SUDO[@]}" apt-get update -qq >"$apt_log" 2>&1; then
      tail -n 20 "$apt_log" >&2
      die "apt-get update failed (full log: $apt_log)"
    fi
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends neovim >>"$apt_log" 2>&1; then
      tail -n 20 "$apt_log" >&2
      die "apt-get install neovim failed (full log: $apt_log)"
    fi
  fi
fi
nvim="$(command -v nvim)" || die "nvim missing after installing the neovim package"
version="$("$nvim" --version | head -n1)"
[[ "$version" =~ NVIM\ v0\.([0-9]+) ]] || [[ "$version" =~ NVIM\ v[1-9] ]] || die "unexpected '$nvim --version': $version"
if [[ "$version" =~ NVIM\ v0\.([0-9]+) ]] && ((BASH_REMATCH[1] < 7)); then
  die "$version is too old: the test needs Neovim 0.7 or newer"
fi
log "using $version ($nvim)"
echo "$nvim"
