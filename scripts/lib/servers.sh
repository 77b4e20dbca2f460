# shellcheck shell=bash disable=SC2034,SC2154  # as_server and owner are read, and dir set, by the scripts that source this
# Helpers shared by the scripts that start real servers for tests (db-servers.sh, patroni-cluster.sh).
# Sourced, not run. Sets as_server (the prefix that runs a command as the server user) and owner: as root the
# servers run as the unprivileged user `nobody` (PostgreSQL refuses root); otherwise as you.

if [ "$(id -u)" -eq 0 ]; then as_server=(runuser -u nobody --); owner=nobody; else as_server=(); owner=$(id -un); fi

# The newest installed PostgreSQL's bin directory (initdb, pg_ctl, postgres).
pg_bin() {
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
    echo "error: PostgreSQL's server programs (initdb, pg_ctl) are not installed; apt-get install postgresql" >&2
    exit 1
}

# A loopback TCP port nobody listens on, different from those already given. Below Linux's ephemeral range
# (32768 and up by default): a port from inside it can be taken by another test's outgoing connection between
# this check and the server's bind.
free_port() {
    local port
    while :; do
        port=$((10000 + RANDOM % 22000))
        case " $* " in *" $port "*) continue ;; esac
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        echo "$port"
        return
    done
}

# Runs a command until it succeeds or SECONDS pass.
wait_for() {  # SECONDS COMMAND ARGS…
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

# A server must not keep open the descriptors this script inherited beyond 0-2: its caller may wait for them
# to close (Foundation's Process does, to tell that its child has ended). Call this in a subshell of its own.
close_inherited_descriptors() {
    local fd
    for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ] && [ -e "/proc/self/fd/$fd" ]; then eval "exec $fd>&-"; fi
    done
}

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is not installed; apt-get install $2" >&2; exit 1; }; }

# Starts a program in the background as the server user, in its own session, its pid in PIDFILE, its output
# in LOG. It starts from $dir (the servers' directory): the caller's (a checkout in a 0700 directory) may be
# closed to the server user, and some servers (Patroni's workers) start by changing into it.
spawn() {  # PIDFILE LOG PROGRAM ARGS…
    local pidfile=$1 log=$2; shift 2
    (close_inherited_descriptors; cd "$dir" && exec setsid "${as_server[@]}" "$@" </dev/null >>"$log" 2>&1) &
    echo $! >"$pidfile"
}

# Sends SIGNAL to the whole process group spawn made (the server and its children).
kill_tree() {  # PIDFILE SIGNAL
    local pid
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    kill "-$2" -- "-$pid" 2>/dev/null || true
}
