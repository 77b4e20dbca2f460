#!/usr/bin/env bash
# Installs what building and trying Pitstop needs on Debian/Ubuntu (ncursesw and libcurl headers, tmux), and with --test
# what its tests need as well: the database servers the end-to-end suite starts (PostgreSQL and MariaDB; Debian's packages, whose own services stay as
# the packages leave them: the tests start servers of their own on free ports), and what the real-upgrade
# suite's test hosts are made with (debootstrap, dpkg-dev for their apt repository, the ssh client) and the
# runbooks checked with (shellcheck), the Patroni suite's etcd and Patroni, and openssl for the etcd suite's
# certificates.
# As root it uses apt-get; otherwise it says what to install and stops.
set -euo pipefail

missing=()
[ -e /usr/include/ncursesw/curses.h ] || missing+=(libncursesw5-dev)
# libcurl's headers: HTTP and HTTPS with client certificates (Patroni's REST API, etcd).
compgen -G '/usr/include/*/curl/curl.h' >/dev/null || [ -e /usr/include/curl/curl.h ] || missing+=(libcurl4-openssl-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ "${1:-}" = --test ]; then
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
{ command -v mariadb-install-db >/dev/null 2>&1 && [ -x /usr/sbin/mariadbd ]; } || missing+=(mariadb-server)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v dpkg-scanpackages >/dev/null 2>&1 || missing+=(dpkg-dev)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v debugfs >/dev/null 2>&1 || missing+=(e2fsprogs)
# The package test: lintian on the .deb, man to render the page.
command -v lintian >/dev/null 2>&1 || missing+=(lintian)
command -v man >/dev/null 2>&1 || missing+=(man-db)
# The Patroni suite: etcd, Patroni, the REST API's client and its writer's driver.
command -v patroni >/dev/null 2>&1 || missing+=(patroni)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || missing+=(python3-psycopg2)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The metrics suite parses /metrics with Prometheus' own Python client, in a virtualenv made below.
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not on PATH; install Swift 6 from swift.org first" >&2; exit 1; }

# Prometheus' Python client for the metrics suite, once per version, outside the checkout (PyPI).
prometheus_venv() {
    local venv=/var/cache/pitstop-e2e/prometheus-client-0.26.0
    [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import prometheus_client' 2>/dev/null && return 0
    [ "$(id -u)" -eq 0 ] || { echo "setup: not root, so the metrics suite's virtualenv ($venv) is not made; that suite will say so" >&2; return 0; }
    mkdir -p /var/cache/pitstop-e2e
    /usr/bin/python3 -m venv "$venv" && "$venv/bin/pip" install -q prometheus_client==0.26.0 \
        || echo "setup: could not install prometheus_client into $venv (is PyPI reachable?); the metrics suite will say so" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
    [ "${1:-}" = --test ] && prometheus_venv
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "error: missing ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
[ "${1:-}" = --test ] && prometheus_venv
exit 0
