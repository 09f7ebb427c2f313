#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests: its own cluster in a temp directory, trust
# auth, loopback only, a free port. Never touches any other PostgreSQL.
#
#   eval "$(scripts/pg-test-server.sh start)"   # exports REVOPS_TEST_PG_URL, _DIR, _PID
#   npx vitest run src/store
#   scripts/pg-test-server.sh stop "$REVOPS_TEST_PG_DIR"
#
# stdout carries only the `export` lines; progress and errors go to stderr.
# Exit codes: 0 ok, 1 failure, 2 usage, 3 PostgreSQL server binaries not found.
# PG_BIN=/path/to/bin overrides where initdb and pg_ctl are looked for.
set -euo pipefail

MARKER=.revops-pg-test-server
say() { printf 'pg-test-server: %s\n' "$*" >&2; }

usage() {
  say "usage: $0 start | stop DIR"
  exit 2
}

# The directory holding initdb and pg_ctl: $PG_BIN, PATH, then Debian's and common install places.
find_bin() {
  local dir
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && { echo "$PG_BIN"; return 0; }
    return 1
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  # Newest version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /usr/local/pgsql/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# The OS user the server runs as: ourselves, or (as root, which initdb refuses) `postgres`, or a
# dedicated system user created on first use.
server_user() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id revops-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin revops-pg >&2 ||
      { say "running as root and could not create the user revops-pg to run PostgreSQL"; exit 1; }
  fi
  echo revops-pg
}

# Runs a command as $RUN_AS (directly when that is us).
as_user() {
  if [ "$RUN_AS" = "$(id -un)" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$RUN_AS" -- "$@"
  else
    su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
  fi
}

start() {
  local bin dir port attempt pid
  if ! bin=$(find_bin); then
    if [ -n "${PG_BIN:-}" ]; then
      say "PG_BIN=$PG_BIN does not hold the PostgreSQL server binaries initdb and pg_ctl."
    else
      say "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in /usr/lib/postgresql/*/bin."
    fi
    say "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set PG_BIN to their directory."
    exit 3
  fi
  RUN_AS=$(server_user)
  # Another user must reach the directory: /tmp then, whatever TMPDIR says.
  if [ "$RUN_AS" = "$(id -un)" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/revops-pg.XXXXXX")
  else
    dir=$(mktemp -d /tmp/revops-pg.XXXXXX)
  fi
  # Remove the directory again if anything below fails.
  trap 'as_user "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  touch "$dir/$MARKER"
  mkdir "$dir/sock"
  [ "$RUN_AS" = "$(id -un)" ] || chown -R "$RUN_AS" "$dir"
  cd "$dir"

  say "initdb ($bin) in $dir as $RUN_AS"
  as_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }

  # A port can be taken between picking and binding: try a few.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # fsync off and friends: a test server's data is disposable.
    if as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >&2; then
      pid=$(head -n 1 "$dir/data/postmaster.pid")
      trap - EXIT
      say "PostgreSQL on 127.0.0.1:$port (pid $pid); stop with: $0 stop $dir"
      printf 'export REVOPS_TEST_PG_URL=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
      printf 'export REVOPS_TEST_PG_DIR=%q\n' "$dir"
      printf 'export REVOPS_TEST_PG_PID=%q\n' "$pid"
      return 0
    fi
    say "start on port $port failed (attempt $attempt):"
    tail -n 5 "$dir/server.log" >&2 || true
  done
  say "could not start PostgreSQL; log: see above"
  exit 1
}

stop() {
  local dir=${1:-} bin
  [ -n "$dir" ] || usage
  # Only ever a directory this script made.
  if [ ! -f "$dir/$MARKER" ]; then
    say "$dir is not a directory made by '$0 start' (no $MARKER); refusing to touch it"
    exit 1
  fi
  RUN_AS=$(stat -c %U "$dir/data" 2>/dev/null || id -un)
  if [ -f "$dir/data/postmaster.pid" ]; then
    if bin=$(find_bin); then
      cd "$dir"
      as_user "$bin/pg_ctl" -D "$dir/data" stop -m fast -w -t 60 >&2 || say "pg_ctl stop failed (already stopped?)"
    else
      say "pg_ctl not found; cannot stop the server of $dir"
      exit 3
    fi
  fi
  cd /
  rm -rf "$dir"
  say "stopped and removed $dir"
}

case "${1:-}" in
  start) [ $# -eq 1 ] || usage; start ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
