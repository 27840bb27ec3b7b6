#!/usr/bin/env bash
# Installs everything the product and its tests need on a fresh Debian/Ubuntu machine:
# the npm packages (which build dist/ through `prepare`) with Node.js 22 among them, Debian tools the tests compare
# against (cloc, git) or run Claude Code's sandbox with (bubblewrap, socat), and the
# Python tools in a project-local virtualenv (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in cloc git python3 socat; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
# Claude Code's sandbox on Linux (bubblewrap, with socat for its network bridge): the
# permissive profile offers Bash only inside it (HW_BASH_SANDBOX=1), and the tests prove it.
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# The HTML report's test opens the report in Debian's headless Chromium (no browser download).
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || missing+=(chromium chromium-driver)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
# Node.js: the supported lines are 22 and 24, and machines may have an older one (Debian 12's is 20).
# package.json's devDependency "node" (the npm registry's Node.js build for this platform, its
# preinstall approved in package.json's allowScripts) puts Node 22 in node_modules/.bin, which npm
# scripts and npx put first on PATH: `npm test`, `npm run build` and `npx vitest` run on it.
if ! project_node="$(node_modules/.bin/node -p 'process.versions.node' 2>/dev/null)"; then
  echo "setup: node_modules/.bin/node is missing: npm did not run the 'node' package's preinstall (check allowScripts in package.json)" >&2
  exit 1
fi
if [ "${project_node%%.*}" -lt 22 ]; then
  echo "setup: node_modules/.bin/node is Node.js ${project_node}; the tests need 22 or newer (devDependency 'node' in package.json)" >&2
  exit 1
fi
# npm 11 skips install scripts nobody approved, among them the postinstall of the official SARIF
# validator (`sarif-multitool`, used by the SARIF export tests) that makes its Linux binary
# executable: do that here.
sarif_multitool=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -f "$sarif_multitool" ]; then chmod u+x "$sarif_multitool"; fi

if [ -f requirements-dev.txt ]; then
  [ -x .venv/bin/pip ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
fi
