#!/usr/bin/env bash
# Real database servers for trying the runbooks in examples/runbooks and for the end-to-end suite
# (Tests/PitstopCLITests/RealDatabaseTests.swift): a PostgreSQL primary with one streaming replica and one
# MariaDB server, from Debian's packages, in a directory of their own, on free loopback ports.
#
#   scripts/db-servers.sh start DIR            make and start the servers; prints their endpoints
#   scripts/db-servers.sh stop DIR             stop every server started in DIR (safe to repeat)
#   scripts/db-servers.sh restart DIR ENDPOINT restart the server at ENDPOINT (127.0.0.1:PORT) and wait for it
#   scripts/db-servers.sh halt DIR ENDPOINT    stop the server at ENDPOINT alone (an outage, for tests)
#
# `start` leaves in DIR:
#   servers.env   PG_PRIMARY=127.0.0.1:PORT, PG_REPLICA=…, MARIADB=… (shell syntax)
#   home/         a HOME holding .pgpass and .my.cnf, the client credentials the runbooks read
#   db-restart    the host's restart command for the runbooks (DB_RESTART_COMMAND): db-restart ENDPOINT
#   mariadb/pitstop.cnf  an option file the MariaDB server includes (DB_OPTION_FILE for mysql-config-change)
# As root the servers run as the unprivileged user `nobody` (PostgreSQL refuses root); otherwise as you.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { sed -n '6,9p' "$0" | sed 's/^# *//' >&2; exit 2; }

password=pitstop-e2e
# shellcheck source=scripts/lib/servers.sh
source "$(dirname "$0")/lib/servers.sh"

mariadb_server() {
    local candidate
    for candidate in mariadbd mysqld; do
        for where in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
            [ -x "$where/$candidate" ] && { echo "$where/$candidate"; return; }
        done
    done
    echo "error: the MariaDB server (mariadbd) is not installed; apt-get install mariadb-server" >&2
    exit 1
}

detached() { (close_inherited_descriptors; exec "$@"); }

pg_start() {  # DATA PORT SOCKETDIR
    detached "${as_server[@]}" "$(pg_bin)/pg_ctl" -D "$1" -l "$(dirname "$1")/server.log" -w -t 60 \
        -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$3" start >/dev/null
}

pg_restart() {  # SERVERDIR; the options of the last start are kept (postmaster.opts)
    detached "${as_server[@]}" "$(pg_bin)/pg_ctl" -D "$1/data" -l "$1/server.log" -m fast -w -t 60 restart >/dev/null
}

mariadb_start() {
    # setsid: the server outlives this script, like a service would.
    (close_inherited_descriptors; exec setsid "${as_server[@]}" "$(mariadb_server)" --defaults-file="$dir/mariadb/my.cnf") \
        </dev/null >>"$dir/mariadb/server.log" 2>&1 &
    wait_for 60 mariadb-admin --no-defaults --socket="$dir/mariadb/socket" -uroot ping ||
        { echo "error: MariaDB did not start; see $dir/mariadb/error.log" >&2; tail -5 "$dir/mariadb/error.log" >&2; exit 1; }
}

mariadb_stop() {
    local pid
    pid=$(cat "$dir/mariadb/pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    wait_for 60 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 0755 "$dir"
    local bin primary replica maria
    bin=$(pg_bin)
    primary=$(free_port)
    replica=$(free_port "$primary")
    maria=$(free_port "$primary" "$replica")
    mkdir -p "$dir/pg-primary" "$dir/pg-replica" "$dir/mariadb" "$dir/home"
    chown "$owner" "$dir/pg-primary" "$dir/pg-replica" "$dir/mariadb"

    # PostgreSQL: local connections trusted (for this script), TCP by password (for the runbooks).
    printf '%s\n' "$password" >"$dir/pg-primary/password"
    chown "$owner" "$dir/pg-primary/password"
    "${as_server[@]}" "$bin/initdb" -D "$dir/pg-primary/data" -U postgres --pwfile="$dir/pg-primary/password" \
        --auth-local=trust --auth-host=scram-sha-256 -N >"$dir/pg-primary/initdb.log"
    pg_start "$dir/pg-primary/data" "$primary" "$dir/pg-primary"
    "${as_server[@]}" env PGPASSWORD="$password" "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres \
        -D "$dir/pg-replica/data" -R -X stream -c fast
    pg_start "$dir/pg-replica/data" "$replica" "$dir/pg-replica"
    wait_for 30 bash -c "[ \"\$(psql -X -At -h '$dir/pg-primary' -p $primary -U postgres -d postgres \
        -c \"select count(*) from pg_stat_replication where state = 'streaming'\")\" = 1 ]" ||
        { echo "error: the replica did not start streaming; see $dir/pg-replica/server.log" >&2; exit 1; }

    # MariaDB: root by socket only; the runbooks' user `pitstop` by password over TCP.
    "${as_server[@]}" mariadb-install-db --no-defaults --datadir="$dir/mariadb/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/mariadb/install.log" 2>&1 ||
        { echo "error: mariadb-install-db failed; see $dir/mariadb/install.log" >&2; exit 1; }
    : >"$dir/mariadb/pitstop.cnf"
    cat >"$dir/mariadb/my.cnf" <<EOF
[mariadbd]
datadir=$dir/mariadb/data
port=$maria
bind-address=127.0.0.1
socket=$dir/mariadb/socket
pid-file=$dir/mariadb/pid
log-error=$dir/mariadb/error.log
!include $dir/mariadb/pitstop.cnf
EOF
    chown "$owner" "$dir/mariadb/my.cnf" "$dir/mariadb/pitstop.cnf"
    mariadb_start
    mariadb --no-defaults --socket="$dir/mariadb/socket" -uroot -e \
        "CREATE USER 'pitstop'@'127.0.0.1' IDENTIFIED BY '$password'; GRANT ALL ON *.* TO 'pitstop'@'127.0.0.1';"

    # The client side, as an operator keeps it: credentials in the standard files, never in a task.
    # One line per server: a line for any port would hand the password to whatever endpoint a task names.
    printf '127.0.0.1:%s:*:postgres:%s\n' "$primary" "$password" "$replica" "$password" >"$dir/home/.pgpass"
    printf '[client]\nuser=pitstop\npassword=%s\n' "$password" >"$dir/home/.my.cnf"
    chmod 0600 "$dir/home/.pgpass" "$dir/home/.my.cnf"
    printf '#!/bin/sh\nexec %q restart %q "$1"\n' "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" "$dir" >"$dir/db-restart"
    chmod 0755 "$dir/db-restart"
    printf 'PG_PRIMARY=127.0.0.1:%s\nPG_REPLICA=127.0.0.1:%s\nMARIADB=127.0.0.1:%s\n' "$primary" "$replica" "$maria" | tee "$dir/servers.env"
}

# pg_ctl as the servers' user.
pg_ctl_as_server() { "${as_server[@]}" "$(pg_bin)/pg_ctl" "$@"; }

stop() {
    [ -d "$dir" ] || return 0
    local data
    for data in "$dir/pg-replica/data" "$dir/pg-primary/data"; do
        [ -f "$data/postmaster.pid" ] && pg_ctl_as_server -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    done
    mariadb_stop
}

# The server listening at ENDPOINT, by its directory under DIR: pg-primary, pg-replica or mariadb.
server_at() {
    [ -f "$dir/servers.env" ] || { echo "error: no servers were started in $dir (scripts/db-servers.sh start $dir)" >&2; return 1; }
    # shellcheck source=/dev/null
    . "$dir/servers.env"
    case "$1" in
    "$PG_PRIMARY") echo pg-primary ;;
    "$PG_REPLICA") echo pg-replica ;;
    "$MARIADB") echo mariadb ;;
    *) echo "error: no server of $dir listens at $1" >&2; return 1 ;;
    esac
}

restart() {
    local server
    server=$(server_at "${3:-}") || exit 1
    if [ "$server" = mariadb ]; then mariadb_stop; mariadb_start; else pg_restart "$dir/$server"; fi
}

halt() {
    local server
    server=$(server_at "${3:-}") || exit 1
    if [ "$server" = mariadb ]; then mariadb_stop; else pg_ctl_as_server -D "$dir/$server/data" -m fast -w stop >/dev/null; fi
}

case "$command" in
start) start ;;
halt) halt "$@" ;;
stop) stop ;;
restart) restart "$@" ;;
*) echo "error: unknown command $command; expected start, stop, restart or halt" >&2; exit 2 ;;
esac
