#!/usr/bin/env bash
# Runs the tests with everything they need, on a fresh Debian machine too (`npm test` calls this after the type-check
# and the dashboard build):
# - Chromium for the browser tests: $LETHE_CHROMIUM, else `chromium` on the PATH, else Debian's `chromium` package,
#   installed with apt-get as root or through passwordless sudo. If none of these works and a selected test needs
#   Chromium, it stops before running anything and says what to run: a browser test is never skipped.
# - PostgreSQL for the PostgreSQL suites, unless LETHE_TEST_POSTGRES_URL names a server: a scratch cluster of Debian's
#   PostgreSQL (installed the same way if missing) on a free port of 127.0.0.1, stopped and removed however this script
#   ends. If there is no PostgreSQL and it cannot be installed, those suites report themselves skipped, with the reason.
# Arguments replace the selection of every *.test.ts under src and test: `npm test -- test/e2e/dsr.test.ts`.
# A shell script because every step is a system command (apt-get, runuser, initdb, pg_ctl), and one EXIT trap removes
# the cluster whether the tests pass, fail or are interrupted. The tests run in the foreground, so Ctrl-C reaches them
# as it always did; the trap runs once they have stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then tests=("$@"); else mapfile -t tests < <(find src test -name '*.test.ts' | sort); fi

root() { [ "$(id -u)" = 0 ]; }
can_install() { command -v apt-get >/dev/null && { root || sudo -n true 2>/dev/null; }; }
apt_install() {
  local sudo=''
  root || sudo='sudo -n'
  echo "== installing $* with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
find_chromium() { if [ -n "${LETHE_CHROMIUM:-}" ]; then echo "$LETHE_CHROMIUM"; else command -v chromium || true; fi; }
# The newest of Debian's PostgreSQL servers (the client package alone has no initdb).
find_postgres() { ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 | sed 's|/initdb$||' || true; }

# The browser tests are the files that launch Chromium through test/helpers/browser.ts.
needs_chromium=''
if grep -lqs -e 'helpers/browser' -- "${tests[@]}"; then needs_chromium=1; fi
wants_postgres=''
if [ -z "${LETHE_TEST_POSTGRES_URL:-}" ]; then wants_postgres=1; fi

missing=()
if [ -n "$needs_chromium" ] && [ -z "$(find_chromium)" ]; then missing+=(chromium); fi
if [ -n "$wants_postgres" ] && [ -z "$(find_postgres)" ]; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ] && can_install; then apt_install "${missing[@]}"; fi
install_hint="sudo apt-get install --no-install-recommends ${missing[*]}"

chromium="$(find_chromium)"
if [ -n "$needs_chromium" ] && [ -n "${LETHE_CHROMIUM:-}" ] && [ ! -x "$chromium" ]; then
  echo "LETHE_CHROMIUM=$LETHE_CHROMIUM is not an executable file." >&2
  exit 1
elif [ -n "$needs_chromium" ] && [ -z "$chromium" ]; then
  echo "The browser tests need Chromium, which is not installed and cannot be installed here (apt-get needs root or" >&2
  echo "passwordless sudo). Run this, then npm test again:" >&2
  echo "    $install_hint" >&2
  echo "or set LETHE_CHROMIUM to a Chromium binary." >&2
  exit 1
elif [ -n "$needs_chromium" ]; then
  export LETHE_CHROMIUM="$chromium"
  echo "== $("$chromium" --version 2>/dev/null | head -1) ($chromium)"
fi

pg_bin="$(find_postgres)"
if [ -n "$wants_postgres" ] && [ -n "$pg_bin" ]; then
  # The server refuses to run as root, so root runs it as the postgres user Debian's package created, from a
  # directory that user can read (initdb fails when it cannot resolve the current directory).
  as_pg() { if root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
  pg_dir="$(as_pg mktemp -d /tmp/lethe-test-pg.XXXXXX)"
  stop_postgres() {
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    as_pg rm -rf "$pg_dir"
  }
  trap stop_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_port="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  if ! as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=200" start >/dev/null; then
    cat "$pg_dir/server.log" >&2
    exit 1
  fi
  export LETHE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
  echo "== $("$pg_bin/postgres" --version), a scratch cluster on 127.0.0.1:$pg_port, removed at the end"
elif [ -n "$wants_postgres" ]; then
  echo "== PostgreSQL is not installed and cannot be installed here (apt-get needs root or passwordless sudo): the" >&2
  echo "   PostgreSQL suites will be skipped. To run them, run this (or set LETHE_TEST_POSTGRES_URL) and npm test again:" >&2
  echo "       $install_hint" >&2
fi

node --import tsx --test --test-concurrency=2 "${tests[@]}"
