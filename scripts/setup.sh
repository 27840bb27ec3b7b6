#!/usr/bin/env bash
# Installs everything the product and its tests need on a fresh Debian/Ubuntu machine:
# the npm packages (which build dist/ through `prepare`), Debian tools the tests compare
# against (cloc, git) or run Claude Code's sandbox with (bubblewrap, socat), and the
# Python tools in a project-local virtualenv (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in cloc git python3 socat; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
# Claude Code's sandbox on Linux (bubblewrap, with socat for its network bridge): the
# permissive profile offers Bash only inside it (HW_BASH_SANDBOX=1), and the tests prove it.
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
# npm 11 skips install scripts nobody approved, among them the postinstall of the official SARIF
# validator (`sarif-multitool`, used by the SARIF export tests) that makes its Linux binary
# executable: do that here.
sarif_multitool=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -f "$sarif_multitool" ]; then chmod u+x "$sarif_multitool"; fi

if [ -f requirements-dev.txt ]; then
  [ -x .venv/bin/pip ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
fi
