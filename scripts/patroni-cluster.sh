#!/usr/bin/env bash
# A real Patroni cluster for the Patroni runbooks and their end-to-end suite
# (Tests/PitstopCLITests/PatroniTests.swift): one etcd and three PostgreSQL members under Patroni, from
# Debian's packages (etcd-server, patroni, postgresql), in a directory of their own, on free loopback ports.
#
#   scripts/patroni-cluster.sh start DIR       make and start the cluster; prints its endpoints
#   scripts/patroni-cluster.sh stop DIR        stop every process started in DIR (safe to repeat)
#   scripts/patroni-cluster.sh kill DIR NAME   stop one member's Patroni and PostgreSQL (an outage, for tests)
#   scripts/patroni-cluster.sh delay DIR NAME D  make member NAME replay WAL D late (recovery_min_apply_delay, e.g.
#                                              1h; 0 to catch up): a lagging replica whose received WAL is current
#
# `start` prints (and leaves in DIR/cluster.env) ETCD=127.0.0.1:PORT, SCOPE=NAME and, for each member N of
# pg1 pg2 pg3, PATRONI_N=http://127.0.0.1:PORT (its REST API) and PG_N=127.0.0.1:PORT; pg1 is the first leader.
# It also leaves DIR/home, a HOME whose .pgpass lets psql in as postgres. As root the processes run as the
# unprivileged user `nobody` (PostgreSQL refuses root); otherwise as you.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { sed -n '6,10p' "$0" | sed 's/^# *//' >&2; exit 2; }

password=pitstop-e2e
scope=pitstop-e2e
members=(pg1 pg2 pg3)
# shellcheck source=scripts/lib/servers.sh
source "$(dirname "$0")/lib/servers.sh"

leader_of() {  # PATRONI_URL → the leader's name, if any
    curl -fsS --max-time 2 "$1/cluster" | python3 -c 'import json,sys; print(next((m["name"] for m in json.load(sys.stdin)["members"] if m["role"] in ("leader","master","primary") and m["state"]=="running"), ""))'
}

streaming_count() {  # PATRONI_URL → how many replicas stream
    curl -fsS --max-time 2 "$1/cluster" | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin)["members"] if m["role"] in ("replica","sync_standby") and m["state"] in ("running","streaming")))'
}

has_leader() { [ -n "$(leader_of "$1")" ]; }
all_streaming() { [ "$(streaming_count "$1")" = 2 ]; }

member_config() {  # NAME RESTPORT PGPORT
    local name=$1 rest=$2 pg=$3 bin
    bin=$(pg_bin)
    cat <<YAML
scope: $scope
namespace: /service/
name: $name
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd_port
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_log_hints: "on"
        shared_buffers: 16MB
        max_connections: 40
  initdb:
    # No fsync of the new data directory: on a machine busy with other tests' fsyncs it took minutes.
    - no-sync
    - encoding: UTF8
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 md5
    - host all all 127.0.0.1/32 md5
postgresql:
  listen: 127.0.0.1:$pg
  connect_address: 127.0.0.1:$pg
  data_dir: $dir/$name/data
  bin_dir: $bin
  pgpass: $dir/$name/pgpass
  authentication:
    replication: {username: replicator, password: replicate}
    superuser: {username: postgres, password: $password}
    rewind: {username: rewinder, password: rewind}
  parameters:
    unix_socket_directories: $dir/$name
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
YAML
}

start() {
    need etcd etcd-server
    need patroni patroni
    need curl curl
    mkdir -p "$dir/home"
    chmod 0755 "$dir"
    local used="" etcd_peer
    etcd_port=$(free_port); used="$etcd_port"
    etcd_peer=$(free_port $used); used="$used $etcd_peer"
    mkdir -p "$dir/etcd"
    chown "$owner" "$dir/etcd"
    chmod 0700 "$dir/etcd"
    spawn "$dir/etcd.pid" "$dir/etcd.log" etcd --name pitstop-e2e --data-dir "$dir/etcd/data" \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
        --initial-cluster "pitstop-e2e=http://127.0.0.1:$etcd_peer"
    wait_for 30 curl -fsS "http://127.0.0.1:$etcd_port/health" || { echo "error: etcd did not start; $dir/etcd.log:" >&2; tail -5 "$dir/etcd.log" >&2; exit 1; }
    {
        echo "ETCD=127.0.0.1:$etcd_port"
        echo "SCOPE=$scope"
    } >"$dir/cluster.env"
    local name rest pg first=""
    for name in "${members[@]}"; do
        rest=$(free_port $used); used="$used $rest"
        pg=$(free_port $used); used="$used $pg"
        mkdir -p "$dir/$name"
        chown "$owner" "$dir/$name"
        chmod 0700 "$dir/$name"
        member_config "$name" "$rest" "$pg" >"$dir/$name.yml"
        echo "PATRONI_${name#pg}=http://127.0.0.1:$rest" >>"$dir/cluster.env"
        echo "PG_${name#pg}=127.0.0.1:$pg" >>"$dir/cluster.env"
        spawn "$dir/$name.pid" "$dir/$name.log" patroni "$dir/$name.yml"
        if [ -z "$first" ]; then
            # The first member bootstraps the cluster and leads; the others clone from it.
            first="http://127.0.0.1:$rest"
            wait_for 240 has_leader "$first" || { echo "error: $name did not become the leader in 240 s; $dir/$name.log:" >&2; grep -v -e 'bootstrap in progress' -e 'Lock owner' -e 'not healthy enough' "$dir/$name.log" | tail -20 >&2; exit 1; }
        fi
    done
    wait_for 120 all_streaming "$first" || { echo "error: the replicas do not stream; $dir/pg2.log:" >&2; tail -20 "$dir/pg2.log" >&2; exit 1; }
    # One line per server: a line for any port would hand the password to whatever endpoint a task names.
    sed -n 's/^PG_[0-9]*=//p' "$dir/cluster.env" | while read -r endpoint; do printf '%s:*:postgres:%s\n' "$endpoint" "$password"; done >"$dir/home/.pgpass"
    chmod 0600 "$dir/home/.pgpass"
    cat "$dir/cluster.env"
}

stop() {
    local name pidfile
    for name in "${members[@]}"; do kill_tree "$dir/$name.pid" TERM; done
    for name in "${members[@]}"; do
        pidfile="$dir/$name.pid"
        [ -f "$pidfile" ] || continue
        wait_for 20 bash -c "! kill -0 -- -$(cat "$pidfile") 2>/dev/null" || kill_tree "$pidfile" KILL
        # A postmaster that outlived its Patroni.
        if [ -f "$dir/$name/data/postmaster.pid" ]; then
            kill -QUIT "$(head -1 "$dir/$name/data/postmaster.pid")" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
    kill_tree "$dir/etcd.pid" TERM
    [ -f "$dir/etcd.pid" ] && { wait_for 10 bash -c "! kill -0 $(cat "$dir/etcd.pid") 2>/dev/null" || kill_tree "$dir/etcd.pid" KILL; rm -f "$dir/etcd.pid"; }
    return 0
}

case "$command" in
start) start ;;
stop) stop ;;
kill)
    name=${3:?name a member: pg1, pg2 or pg3}
    kill_tree "$dir/$name.pid" KILL
    [ -f "$dir/$name/data/postmaster.pid" ] && kill -QUIT "$(head -1 "$dir/$name/data/postmaster.pid")" 2>/dev/null
    rm -f "$dir/$name.pid"
    ;;
delay)
    name=${3:?name a member: pg1, pg2 or pg3}
    delay=${4:?give a delay, e.g. 1h, or 0}
    # Patroni takes a member's own parameters from its file, on a reload.
    python3 - "$dir/$name.yml" "$delay" <<'PY'
import re, sys
path, delay = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"\n    recovery_min_apply_delay: .*", "", text)
if delay != "0":
    text = text.replace("\n    unix_socket_directories", "\n    recovery_min_apply_delay: %s\n    unix_socket_directories" % delay, 1)
open(path, "w").write(text)
PY
    rest=$(grep -m1 '^  listen:' "$dir/$name.yml" | awk '{print $2}')
    curl -fsS -X POST "http://$rest/reload" >/dev/null
    ;;
*) sed -n '6,10p' "$0" | sed 's/^# *//' >&2; exit 2 ;;
esac
