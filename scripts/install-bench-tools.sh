#!/usr/bin/env bash
# Installs the tools the benchmark suite (npm run bench) compares against:
# cloc from Debian, scc and gitleaks from the Go module proxy into .tools/bin.
# Each install is independent: a tool that fails is reported and skipped by the suite.
set -u
cd "$(dirname "$0")/.."
export GOBIN="$PWD/.tools/bin"
mkdir -p "$GOBIN"
# Keep the built tools out of git without touching the project's .gitignore.
[ -f .tools/.gitignore ] || echo '*' > .tools/.gitignore
if ! command -v cloc >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq cloc) || echo "cloc: install failed" >&2
fi
if ! command -v /usr/bin/time >/dev/null 2>&1; then
  apt-get install -y -qq time || echo "time: install failed (peak memory of external tools will be missing)" >&2
fi
if command -v go >/dev/null 2>&1; then
  # The proxy serves scc's v3.5.0 zip but not its version list, so `go install ...@latest` (and the
  # deprecation check of `@v3.5.0`) fail: build the downloaded module from a writable copy instead.
  if [ ! -x "$GOBIN/scc" ]; then
    GOFLAGS=-mod=mod go install github.com/boyter/scc/v3@v3.5.0 2>/dev/null || {
      src="$(go env GOMODCACHE)/github.com/boyter/scc/v3@v3.5.0"
      work="$(mktemp -d)"
      { [ -d "$src" ] || (cd "$work" && GOFLAGS=-mod=mod go mod download github.com/boyter/scc/v3@v3.5.0); } &&
        cp -r "$src" "$work/scc" && chmod -R u+w "$work/scc" && (cd "$work/scc" && go build -o "$GOBIN/scc" .) ||
        echo "scc: install failed" >&2
      rm -rf "$work"
    }
  fi
  [ -x "$GOBIN/gitleaks" ] || GOFLAGS=-mod=mod go install github.com/zricethezav/gitleaks/v8@v8.30.1 || echo "gitleaks: install failed" >&2
else
  echo "go not found: scc and gitleaks skipped" >&2
fi
ls -1 "$GOBIN"
