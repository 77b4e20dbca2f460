#!/usr/bin/env bash
# host.sh: test hosts for the real-upgrade suite. Each host is the cached Debian 12 image (image.sh) under an
# overlay of its own, in its own mount and PID namespaces, with its own loopback address (127.0.N.M), its own
# sshd and host key, and its database server; the engine reaches it only over SSH as the user "pitstop", whose
# sudo rules are contrib/sudoers.d/pitstop. Killing the namespace's first process stops everything in it.
#
#   host.sh start DIR NAME ADDRESS SERVICE   SERVICE: postgresql | mariadb | none; prints the host's root
#   host.sh stop DIR NAME                    the whole host, at once (as a power cut would)
#   host.sh sshd DIR NAME stop|start         only its sshd (the host stays up)
#   host.sh run DIR NAME CMD...              CMD as root inside the host, for the tests' own checks
#   host.sh replicate DIR REPLICA PRIMARY    makes REPLICA's PostgreSQL a streaming replica of PRIMARY's
#   host.sh ssh-config DIR                   (re)writes DIR/ssh_config and DIR/known_hosts for every host
#
# DIR holds the client key (DIR/id_ed25519, made on first use) and one directory per host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

image_var() { "$here/image.sh" | sed -n "s/^$1=//p"; }
init_pid() { cat "$1/$2/init.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(init_pid "$1" "$2"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
in_host() {
    local dir=$1 name=$2 pid; shift 2
    pid=$(init_pid "$dir" "$name")
    [ -n "$pid" ] || die "host $name is not running"
    nsenter -t "$pid" -m -p -r -w env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root "$@"
}

start() {
    local dir=$1 name=$2 address=$3 service=$4
    local h=$dir/$name root lower repo uid
    root=$h/root
    lower=$(image_var ROOT); repo=$(image_var REPO)
    [ -d "$lower" ] || die "no host image; scripts/e2e/image.sh builds it"
    ! alive "$dir" "$name" || die "host $name is already running"
    mkdir -p "$h/upper" "$h/work" "$root"
    [ -f "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C pitstop-e2e -f "$dir/id_ed25519"
    local u=$h/upper
    mkdir -p "$u/etc/ssh/sshd_config.d" "$u/etc/sudoers.d" "$u/etc/pitstop-host" "$u/home/pitstop/.ssh" "$u/usr/local/sbin"
    [ -f "$u/etc/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$u/etc/ssh/ssh_host_ed25519_key"
    printf '%s\n' "$name" >"$u/etc/hostname"
    printf '127.0.0.1 localhost\n%s %s\n' "$address" "$name" >"$u/etc/hosts"
    printf '%s\n' "$address" >"$u/etc/pitstop-host/address"
    printf '%s\n' "$service" >"$u/etc/pitstop-host/service"
    cat >"$u/etc/ssh/sshd_config.d/pitstop-e2e.conf" <<CONF
ListenAddress $address
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers pitstop
CONF
    install -m 0440 "$here/../../contrib/sudoers.d/pitstop" "$u/etc/sudoers.d/pitstop"
    uid=$(awk -F: '$1 == "pitstop" {print $3 ":" $4}' "$lower/etc/passwd")
    install -m 0600 "$dir/id_ed25519.pub" "$u/home/pitstop/.ssh/authorized_keys"
    chown -R "$uid" "$u/home/pitstop"
    chmod 0700 "$u/home/pitstop/.ssh"
    cat >"$u/usr/local/sbin/pitstop-host-init" <<'INIT'
#!/bin/bash
# The host's init: sshd and its database server, then it reaps orphans until it is killed.
address=$(cat /etc/pitstop-host/address)
mkdir -p /run/sshd /run/postgresql /run/mysqld
chown postgres:postgres /run/postgresql; chmod 2775 /run/postgresql
chown mysql:mysql /run/mysqld
/usr/sbin/sshd -E /var/log/sshd.log
case $(cat /etc/pitstop-host/service) in
postgresql)
    sed -i "s/^#\?listen_addresses.*/listen_addresses = '$address'/" /etc/postgresql/15/main/postgresql.conf
    pg_ctlcluster 15 main start ;;
mariadb)
    printf '[mysqld]\nbind-address = %s\n' "$address" >/etc/mysql/mariadb.conf.d/90-pitstop-e2e.cnf
    service mariadb start >/var/log/mariadb-start.log 2>&1 ;;
esac
echo ready >/run/pitstop-host-ready
trap 'exit 0' TERM
while :; do sleep 1 & wait $!; done
INIT
    chmod 755 "$u/usr/local/sbin/pitstop-host-init"
    rm -f "$h/init.pid"
    # The host outlives this script: it keeps no descriptor of whoever started it (a test's pipes) but its log.
    "$here/detach.sh" unshare --mount --pid --uts --fork --propagation private -- "$0" boot "$h" "$lower" "$repo" \
        >"$h/boot.log" 2>&1 </dev/null &
    local unshare_pid=$! deadline=$((SECONDS + 60)) child=
    until [ -n "$child" ]; do
        child=$(pgrep -P "$unshare_pid" | head -1 || true)
        [ $SECONDS -lt $deadline ] || die "host $name did not start: $(cat "$h/boot.log")"
        [ -n "$child" ] || sleep 0.1
    done
    echo "$child" >"$h/init.pid"
    until in_host "$dir" "$name" test -f /run/pitstop-host-ready; do
        kill -0 "$child" 2>/dev/null || die "host $name stopped while starting: $(cat "$h/boot.log")"
        [ $SECONDS -lt $deadline ] || die "host $name is not ready after 60 s: $(cat "$h/boot.log")"
        sleep 0.2
    done
    ssh_config "$dir"
    echo "$root"
}

# Inside the new namespaces (PID 1): mount the host's file systems, then become its init.
boot() {
    local h=$1 lower=$2 repo=$3 root=$1/root
    hostname "$(cat "$h/upper/etc/hostname")"
    mount -t overlay overlay -o "lowerdir=$lower,upperdir=$h/upper,workdir=$h/work" "$root"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o mode=755 tmpfs "$root/run"
    mount --bind "$repo" "$root/srv/pitstop-repo"
    mount -o remount,bind,ro "$root/srv/pitstop-repo"
    exec chroot "$root" /usr/local/sbin/pitstop-host-init
}

stop() {
    local dir=$1 name=$2 pid
    pid=$(init_pid "$dir" "$name")
    [ -n "$pid" ] || return 0
    kill -KILL "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    rm -f "$dir/$name/init.pid"
}

sshd_ctl() {
    local dir=$1 name=$2 what=$3
    case $what in
    stop) in_host "$dir" "$name" pkill -x sshd || true ;;
    start) in_host "$dir" "$name" /usr/sbin/sshd -E /var/log/sshd.log ;;
    *) die "sshd stop|start" ;;
    esac
}

replicate() {
    local dir=$1 replica=$2 primary=$3 primary_address replica_address
    primary_address=$(cat "$dir/$primary/upper/etc/pitstop-host/address")
    replica_address=$(cat "$dir/$replica/upper/etc/pitstop-host/address")
    in_host "$dir" "$primary" runuser -u postgres -- psql -XAtqc "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD 'e2e'"
    in_host "$dir" "$primary" sh -c "echo 'host replication replicator $replica_address/32 scram-sha-256' >>/etc/postgresql/15/main/pg_hba.conf"
    in_host "$dir" "$primary" pg_ctlcluster 15 main reload
    in_host "$dir" "$replica" pg_ctlcluster 15 main stop -m fast
    in_host "$dir" "$replica" sh -c 'rm -rf /var/lib/postgresql/15/main && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/15/main'
    in_host "$dir" "$replica" runuser -u postgres -- env PGPASSWORD=e2e pg_basebackup -h "$primary_address" -U replicator \
        -D /var/lib/postgresql/15/main -R -X stream -c fast
    in_host "$dir" "$replica" pg_ctlcluster 15 main start
}

ssh_config() {
    local dir=$1 h name address
    : >"$dir/ssh_config.new"; : >"$dir/known_hosts.new"
    for h in "$dir"/*/upper/etc/pitstop-host; do
        [ -d "$h" ] || continue
        name=$(basename "$(dirname "$(dirname "$(dirname "$h")")")")
        address=$(cat "$h/address")
        printf 'Host %s\n    HostName %s\n    User pitstop\n    IdentityFile %s/id_ed25519\n    IdentitiesOnly yes\n' \
            "$name" "$address" "$dir" >>"$dir/ssh_config.new"
        printf '    UserKnownHostsFile %s/known_hosts\n    StrictHostKeyChecking yes\n    ConnectTimeout 5\n\n' "$dir" >>"$dir/ssh_config.new"
        printf '%s %s\n' "$address" "$(cut -d' ' -f1,2 "$dir/$name/upper/etc/ssh/ssh_host_ed25519_key.pub")" >>"$dir/known_hosts.new"
    done
    mv "$dir/ssh_config.new" "$dir/ssh_config"; mv "$dir/known_hosts.new" "$dir/known_hosts"
}

command=${1:-}; shift || true
case $command in
start) [ $# -eq 4 ] || die "usage: host.sh start DIR NAME ADDRESS SERVICE"; start "$@" ;;
boot) boot "$@" ;;
stop) [ $# -eq 2 ] || die "usage: host.sh stop DIR NAME"; stop "$@" ;;
sshd) [ $# -eq 3 ] || die "usage: host.sh sshd DIR NAME stop|start"; sshd_ctl "$@" ;;
run) [ $# -ge 3 ] || die "usage: host.sh run DIR NAME CMD..."; in_host "$@" ;;
replicate) [ $# -eq 3 ] || die "usage: host.sh replicate DIR REPLICA PRIMARY"; replicate "$@" ;;
ssh-config) ssh_config "$1" ;;
*) die "usage: host.sh start|stop|sshd|run|ssh-config ..." ;;
esac
