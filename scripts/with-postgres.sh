#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server:  scripts/with-postgres.sh CMD [ARG...]
#
# Starts a private server (fresh data folder in a temp dir, 127.0.0.1 on a free port, trust
# auth, fsync off), creates the database netpatrol_test, exports
#   NETPATROL_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/netpatrol_test
# runs CMD, then stops the server, removes the temp dir and exits with CMD's exit code.
#
# - NETPATROL_TEST_DATABASE_URL already set: CMD runs against that server, nothing started.
# - initdb/pg_ctl are looked up in PATH, then /usr/lib/postgresql/*/bin; if missing and we
#   are root with apt-get, Debian's postgresql package is installed.
# - PostgreSQL unavailable (or NETPATROL_NO_POSTGRES=1): with CI=true this fails (exit 1);
#   otherwise a warning is printed and CMD runs without the variable (PostgreSQL tests skip).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi
cmd=("$@")

if [ -n "${NETPATROL_TEST_DATABASE_URL:-}" ]; then
    exec "${cmd[@]}"
fi

say() { echo "with-postgres: $*" >&2; }

workdir=""
datadir=""
pg_ctl=""
started=0

cleanup() {
    if [ "$started" = 1 ]; then
        as_server "$pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$workdir" ]; then
        rm -rf "$workdir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL cannot be had: fail under CI, else warn and run CMD without it.
unavailable() {
    if [ "${CI:-}" = "true" ]; then
        say "ERROR: PostgreSQL is required when CI=true, but $1"
        exit 1
    fi
    say "WARNING: $1; running without PostgreSQL, so PostgreSQL tests will be SKIPPED"
    cleanup
    trap - EXIT
    exec "${cmd[@]}"
}

# Print the tail of a log file (on failure only).
show_tail() {
    if [ -s "$1" ]; then
        say "last lines of $(basename "$1"):"
        tail -n 20 "$1" | sed 's/^/    /' >&2
    fi
}

# Run a server-side command as the current user, or as `postgres` when we are root
# (initdb and postgres refuse to run as root).
as_server() {
    if [ "$(id -u)" != 0 ]; then
        (cd "$workdir" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$workdir" && runuser -u postgres -- "$@")
    else
        (cd "$workdir" && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
}

# The folder holding initdb, pg_ctl and createdb, or nothing.
find_bindir() {
    local initdb dir
    if initdb="$(command -v initdb 2>/dev/null)" && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$initdb")"
        return
    fi
    for dir in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    done
}

install_postgres() {
    local log="$1"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    say "initdb/pg_ctl not found; installing Debian's postgresql package (log: $log)"
    export DEBIAN_FRONTEND=noninteractive
    {
        apt-get update &&
            # No system cluster: only the binaries are wanted (as the official image does).
            apt-get install -y --no-install-recommends postgresql-common &&
            sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' \
                /etc/postgresql-common/createcluster.conf &&
            apt-get install -y --no-install-recommends postgresql
    } >"$log" 2>&1
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
        return
    fi
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

if [ "${NETPATROL_NO_POSTGRES:-}" = 1 ]; then
    unavailable "NETPATROL_NO_POSTGRES=1 is set"
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/netpatrol-pg.XXXXXX")"
datadir="$workdir/data"

bindir="$(find_bindir)"
if [ -z "$bindir" ]; then
    if install_postgres "$workdir/install.log"; then
        bindir="$(find_bindir)"
    else
        show_tail "$workdir/install.log"
    fi
fi
if [ -z "$bindir" ]; then
    unavailable "initdb/pg_ctl were not found (PATH, /usr/lib/postgresql/*/bin) and could not be installed (needs root and apt-get)"
fi
pg_ctl="$bindir/pg_ctl"

if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        unavailable "running as root and there is no 'postgres' user to run the server as"
    fi
    chown postgres: "$workdir"
fi

if ! as_server "$bindir/initdb" -D "$datadir" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$workdir/initdb.log" 2>&1; then
    show_tail "$workdir/initdb.log"
    unavailable "initdb failed"
fi

# A free port can be taken between the check and the start: try a few.
for _ in 1 2 3; do
    port="$(free_port)"
    if as_server "$pg_ctl" -D "$datadir" -l "$workdir/server.log" -w -t 60 \
        -o "-F -c listen_addresses=127.0.0.1 -p $port -k '$workdir'" start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" != 1 ]; then
    show_tail "$workdir/server.log"
    unavailable "the PostgreSQL server did not start"
fi

if ! "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres netpatrol_test \
    >"$workdir/createdb.log" 2>&1; then
    show_tail "$workdir/createdb.log"
    show_tail "$workdir/server.log"
    unavailable "creating the database netpatrol_test failed"
fi

export NETPATROL_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/netpatrol_test"
version="$("$pg_ctl" --version | grep -oE '[0-9]+(\.[0-9]+)+' | head -n 1 || true)"
say "PostgreSQL $version on 127.0.0.1:$port, database netpatrol_test (NETPATROL_TEST_DATABASE_URL)"

set +e
"${cmd[@]}"
rc=$?
set -e
exit "$rc"
