#!/usr/bin/env bash
# A real three-member etcd cluster with TLS and client certificates, for the several-hosts suite
# (Tests/PitstopCLITests/EtcdStoreTests.swift) and for trying `pitstop store init --etcd` by hand: Debian's
# etcd-server, certificates made here with openssl, in a directory of its own, on free loopback ports.
#
#   scripts/etcd-cluster.sh start DIR        make the certificates and start e1 e2 e3; prints the endpoints
#   scripts/etcd-cluster.sh stop DIR         stop every member started in DIR (safe to repeat)
#   scripts/etcd-cluster.sh kill DIR NAME    SIGKILL member NAME (e1, e2 or e3): an outage
#   scripts/etcd-cluster.sh revive DIR NAME  start member NAME again on its data and wait until it serves
#
# `start` prints (and leaves in DIR/etcd.env) ETCD_ENDPOINTS=https://127.0.0.1:P1,…, ETCD_CACERT, ETCD_CERT and
# ETCD_KEY (a client certificate the cluster trusts), and STRANGER_CERT and STRANGER_KEY (one from another CA,
# which it refuses). Every member checks its clients' and its peers' certificates. As root the members run as
# the unprivileged user `nobody`; otherwise as you.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { sed -n '6,9p' "$0" | sed 's/^# *//' >&2; exit 2; }

# shellcheck source=scripts/lib/servers.sh
source "$(dirname "$0")/lib/servers.sh"
members=(e1 e2 e3)

# A key and a certificate for NAME signed by the CA in CADIR, with the extended key usage USAGE and, for a
# server, the loopback address as its subject's alternative name.
certificate() {  # CADIR NAME USAGE
    local ca=$1 name=$2 usage=$3
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
        -keyout "$dir/tls/$name.key" -out "$dir/tls/$name.csr" 2>/dev/null
    printf 'extendedKeyUsage=%s\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' "$usage" >"$dir/tls/$name.ext"
    openssl x509 -req -in "$dir/tls/$name.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial -days 30 \
        -extfile "$dir/tls/$name.ext" -out "$dir/tls/$name.crt" 2>/dev/null
    rm -f "$dir/tls/$name.csr" "$dir/tls/$name.ext"
}

authority() {  # DIR CN
    mkdir -p "$1"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" -days 30 \
        -keyout "$1/ca.key" -out "$1/ca.crt" 2>/dev/null
}

healthy() {  # PORT
    curl -fsS --max-time 2 --cacert "$dir/tls/ca.crt" --cert "$dir/tls/client.crt" --key "$dir/tls/client.key" \
        "https://127.0.0.1:$1/health" | grep -q '"health":"true"'
}

member_port() { sed -n "s/^$1_CLIENT=//p" "$dir/ports.env"; }

start_member() {  # NAME
    local name=$1
    # shellcheck disable=SC2046  # the saved arguments are one per line, without spaces
    spawn "$dir/$name.pid" "$dir/$name.log" etcd $(cat "$dir/$name.args")
}

start() {
    need etcd etcd-server
    need openssl openssl
    need curl curl
    mkdir -p "$dir/tls"
    authority "$dir/tls" pitstop-test-ca
    authority "$dir/tls/stranger-ca" some-other-ca
    certificate "$dir/tls" server "serverAuth,clientAuth"
    certificate "$dir/tls" client clientAuth
    certificate "$dir/tls/stranger-ca" stranger clientAuth
    mv "$dir/tls/stranger-ca/stranger.key" "$dir/tls/stranger-ca/stranger.crt" "$dir/tls/" 2>/dev/null || true
    chown -R "$owner" "$dir/tls"
    chmod 0700 "$dir/tls"

    local used="" name cluster="" endpoints=""
    : >"$dir/ports.env"
    for name in "${members[@]}"; do
        local client peer
        client=$(free_port $used); used="$used $client"
        peer=$(free_port $used); used="$used $peer"
        echo "${name}_CLIENT=$client" >>"$dir/ports.env"
        echo "${name}_PEER=$peer" >>"$dir/ports.env"
        cluster="$cluster${cluster:+,}$name=https://127.0.0.1:$peer"
        endpoints="$endpoints${endpoints:+,}https://127.0.0.1:$client"
    done
    for name in "${members[@]}"; do
        local client peer tls="$dir/tls"
        client=$(sed -n "s/^${name}_CLIENT=//p" "$dir/ports.env")
        peer=$(sed -n "s/^${name}_PEER=//p" "$dir/ports.env")
        mkdir -p "$dir/$name"
        chown "$owner" "$dir/$name"
        chmod 0700 "$dir/$name"
        printf '%s\n' --name "$name" --data-dir "$dir/$name/data" \
            --listen-client-urls "https://127.0.0.1:$client" --advertise-client-urls "https://127.0.0.1:$client" \
            --listen-peer-urls "https://127.0.0.1:$peer" --initial-advertise-peer-urls "https://127.0.0.1:$peer" \
            --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "pitstop-$$" \
            --cert-file "$tls/server.crt" --key-file "$tls/server.key" --trusted-ca-file "$tls/ca.crt" --client-cert-auth \
            --peer-cert-file "$tls/server.crt" --peer-key-file "$tls/server.key" --peer-trusted-ca-file "$tls/ca.crt" \
            --peer-client-cert-auth --heartbeat-interval 100 --election-timeout 1000 --logger zap --log-level warn \
            >"$dir/$name.args"
        start_member "$name"
    done
    for name in "${members[@]}"; do
        wait_for 60 healthy "$(member_port "$name")" || {
            echo "error: etcd member $name did not become healthy; $dir/$name.log:" >&2
            tail -5 "$dir/$name.log" >&2
            stop
            exit 1
        }
    done
    {
        echo "ETCD_ENDPOINTS=$endpoints"
        echo "ETCD_CACERT=$dir/tls/ca.crt"
        echo "ETCD_CERT=$dir/tls/client.crt"
        echo "ETCD_KEY=$dir/tls/client.key"
        echo "STRANGER_CERT=$dir/tls/stranger.crt"
        echo "STRANGER_KEY=$dir/tls/stranger.key"
    } | tee "$dir/etcd.env"
}

stop() {
    local name
    for name in "${members[@]}"; do kill_tree "$dir/$name.pid" TERM; done
    for name in "${members[@]}"; do
        [ -f "$dir/$name.pid" ] || continue
        wait_for 10 bash -c "! kill -0 -- -$(cat "$dir/$name.pid") 2>/dev/null" || kill_tree "$dir/$name.pid" KILL
        rm -f "$dir/$name.pid"
    done
}

case "$command" in
start) start ;;
stop) stop ;;
kill)
    name=${3:?name a member: e1, e2 or e3}
    kill_tree "$dir/$name.pid" KILL
    rm -f "$dir/$name.pid"
    ;;
revive)
    name=${3:?name a member: e1, e2 or e3}
    start_member "$name"
    wait_for 60 healthy "$(member_port "$name")" || { echo "error: etcd member $name did not come back; $dir/$name.log:" >&2; tail -5 "$dir/$name.log" >&2; exit 1; }
    ;;
*) sed -n '6,9p' "$0" | sed 's/^# *//' >&2; exit 2 ;;
esac
