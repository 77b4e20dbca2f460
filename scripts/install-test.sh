#!/usr/bin/env bash
# install-test.sh: what `make install` and `make deb` put on a machine, tried as an operator would (make test
# runs it before the Swift suites).
#
#  1. make install DESTDIR=scratch; then, with the checkout's .build hidden under an empty tmpfs (so nothing of
#     the build directory is on any path), the installed pitstop runs an engine: an attempt runs under the
#     installed supervisor (the command prints its parent's executable), completes, and its output is read
#     back; the installed themes load from another working directory; bash loads the completions
#     (complete -p pitstop); man -l renders the page without warnings; the installed unit passes
#     systemd-analyze verify. make uninstall then leaves nothing behind.
#  2. make deb; lintian (errors fail, when installed); the package is installed with dpkg -i into a fresh
#     Debian root (an overlay on the real-upgrade suite's host image), pitstop --version and an engine run
#     there, the unit verifies in that root, and dpkg -r then dpkg -P take away every file it brought.
# Needs root (mount namespaces, chroot). Everything it makes is under one scratch directory, removed on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
say() { printf 'install-test: %s\n' "$*"; }
fail() { printf 'install-test: FAIL %s\n' "$*" >&2; exit 1; }

# The engine run by an installed pitstop: $1 is a scratch directory, $2 the installed bin directory.
run_installed_engine() {
    local scratch=$1 bindir=$2
    local store=$scratch/store tasks=$scratch/tasks.json
    export PATH=$bindir:/usr/bin:/bin HOME=$scratch TZ=UTC LANG=C.UTF-8
    unset PITSTOP_SUPERVISOR PITSTOP_THEMES PITSTOP_STORE PITSTOP_PRODUCTS
    [ "$(command -v pitstop)" = "$bindir/pitstop" ] || fail "pitstop on PATH is $(command -v pitstop), not the installed one"
    pitstop --store "$store" store init >/dev/null
    cat >"$tasks" <<'JSON'
{"tasks": [{"id": "MT-INSTALL", "title": "installed engine", "service": "PostgreSQL", "requirement": "recommended",
  "recommendedAt": "2026-12-01T00:00:00Z", "type": "config-change", "retries": 0,
  "executor": {"kind": "command", "argv": ["/bin/sh", "-c", "echo \"supervisor: $(readlink /proc/$PPID/exe)\""], "timeoutSeconds": 30},
  "resources": [{"id": "db-1", "name": "db one"}]}]}
JSON
    pitstop --store "$store" import "$tasks" >/dev/null
    pitstop --store "$store" policy set minLeadTime 0 >/dev/null
    pitstop --store "$store" reserve MT-INSTALL db-1 --at now >/dev/null
    timeout -k 5 60 pitstop --store "$store" daemon --once 2>"$scratch/daemon.log" || { cat "$scratch/daemon.log" >&2; fail "the installed engine did not run"; }
    pitstop --store "$store" tasks --json | grep -q '"status" *: *"completed"' || { pitstop --store "$store" tasks >&2; fail "the attempt did not complete"; }
    local output
    output=$(pitstop --store "$store" output MT-INSTALL db-1)
    [ "$output" = "supervisor: ${bindir%/bin}/libexec/pitstop/pitstop-supervisor" ] ||
        fail "the attempt ran under another supervisor than the installed one: $output"
    (cd / && pitstop --store "$store" --theme high-contrast watch --once --color >/dev/null) || fail "the installed themes were not found"
}

# Inside a private mount namespace: hide the checkout's build directory, then run the installed engine.
if [ "${1:-}" = --hidden-build ]; then
    shift
    mount -t tmpfs -o size=1m,mode=0755 tmpfs "$here/.build"
    [ -z "$(ls -A "$here/.build")" ] || fail "the build directory is still visible"
    run_installed_engine "$@"
    exit 0
fi

# systemd-analyze verify on a unit installed under a staging root ($2 is its prefix on the target system, $3
# the same directory here): the checks run against this machine's systemd, so its paths are read from the
# staging root (ExecStart's binary, the man page of Documentation=).
verify_unit() {
    local unit=$1 target=$2 staged=$3 what=$4 copy output
    grep -q "^ExecStart=$target/bin/pitstop daemon" "$unit" || fail "$what: ExecStart is not $target/bin/pitstop"
    grep -q "^EnvironmentFile=/etc/default/pitstop$" "$unit" || fail "$what: EnvironmentFile is not /etc/default/pitstop"
    copy=$work/verify/pitstop.service
    mkdir -p "$work/verify"
    sed "s|^ExecStart=$target/bin/|ExecStart=$staged/bin/|" "$unit" >"$copy"
    output=$(MANPATH=$staged/share/man systemd-analyze verify "$copy" 2>&1) || { echo "$output" >&2; fail "systemd-analyze verify failed on $what"; }
    [ -z "$output" ] || { echo "$output" >&2; fail "systemd-analyze verify complained about $what"; }
}

[ "$(id -u)" -eq 0 ] || { say "skipped: needs root (mount namespaces, chroot, dpkg in a scratch root)"; exit 0; }
work=$(mktemp -d /tmp/pitstop-install.XXXXXX)
mounted=()
cleanup() {
    local m
    for m in "${mounted[@]}"; do umount -R "$m" 2>/dev/null || umount -lR "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS

# 1. make install into a staging root.
stage=$work/stage
make -C "$here" --no-print-directory install DESTDIR="$stage" PREFIX=/usr/local >"$work/install.log" 2>&1 ||
    { tail -20 "$work/install.log" >&2; fail "make install DESTDIR=$stage failed"; }
prefix=$stage/usr/local
for file in bin/pitstop libexec/pitstop/pitstop-supervisor share/pitstop/themes/default share/pitstop/runbooks/os-update \
    share/pitstop/notify/slack-webhook share/man/man1/pitstop.1 share/bash-completion/completions/pitstop \
    share/zsh/site-functions/_pitstop share/fish/vendor_completions.d/pitstop.fish lib/systemd/system/pitstop.service; do
    [ -s "$prefix/$file" ] || fail "make install did not install $file"
done
[ -s "$stage/etc/default/pitstop" ] || fail "make install did not install /etc/default/pitstop"
say "make install: $(find "$stage" -type f | wc -l) files under DESTDIR"

mkdir -p "$work/run"
unshare --mount --propagation private -- "$0" --hidden-build "$work/run" "$prefix/bin" ||
    fail "the installed pitstop could not run an engine with the build directory hidden"
say "installed engine: an attempt ran under $prefix/libexec/pitstop/pitstop-supervisor, build directory hidden"

completion=$(bash -c 'source "$1" && complete -p pitstop' _ "$prefix/share/bash-completion/completions/pitstop")
[[ "$completion" =~ ^complete\ .*-F\ _pitstop\ pitstop$ ]] || fail "bash did not load the completions: $completion"
say "bash completions: $completion"

manual=$(MANWIDTH=100 man --warnings -l "$prefix/share/man/man1/pitstop.1" 2>"$work/man.err")
[ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "man warned about the page"; }
grep -q "pitstop daemon\|daemon" <<<"$manual" && grep -q "store init\|init" <<<"$manual" || fail "the man page lacks the daemon or store commands"
say "man page: $(wc -l <<<"$manual") lines rendered, no warnings"

verify_unit "$prefix/lib/systemd/system/pitstop.service" /usr/local "$prefix" "the installed unit"
say "systemd-analyze verify: the installed unit passes"

make -C "$here" --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr/local >"$work/uninstall.log" 2>&1 || fail "make uninstall failed"
left=$(find "$stage" -mindepth 1 -not -type d)
[ -z "$left" ] || fail "make uninstall left files: $left"
say "make uninstall: no file left"

# 2. The Debian package, in a fresh Debian root.
package=$(make -C "$here" --no-print-directory deb 2>"$work/deb.log" | tail -1)
[ -f "$package" ] || { tail -20 "$work/deb.log" >&2; fail "make deb made no package"; }
say "make deb: $(basename "$package"), $(du -h "$package" | cut -f1)"
if command -v lintian >/dev/null; then
    lintian --fail-on error,warning "$package" >"$work/lintian.log" 2>&1 || { cat "$work/lintian.log" >&2; fail "lintian found errors or warnings"; }
    say "lintian: no error or warning"
fi

eval "$("$here/scripts/e2e/image.sh")"   # ROOT=… (the real-upgrade suite's Debian 12 image, built once and cached)
debian=$work/debian
mkdir -p "$debian" "$work/upper" "$work/overlay-work"
mount -t overlay overlay -o "lowerdir=$ROOT,upperdir=$work/upper,workdir=$work/overlay-work" "$debian"
mounted+=("$debian")
mount -t proc proc "$debian/proc"
mount --rbind /dev "$debian/dev"
# Every path of the root but the package database, logs, caches, and what the set-up made on purpose (the
# service user's home, the password files' backups).
snapshot() {
    (cd "$debian" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/dpkg -o -path ./var/log -o -path ./var/cache \
        -o -path ./var/lib/pitstop -o -path './etc/*-' \) -prune -o -print | sort)
}
# The image's hosts log in as an ordinary user "pitstop" (the real-upgrade suite's SSH user); a fresh Debian has
# none, and the package's service user is made by the README's commands below.
chroot "$debian" userdel --remove pitstop >/dev/null 2>&1 || true
before=$(snapshot)
cp "$package" "$debian/tmp/pitstop.deb"
chroot "$debian" dpkg -i /tmp/pitstop.deb >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed in a fresh Debian root"; }
version=$(chroot "$debian" pitstop --version) || fail "pitstop --version failed in the Debian root"
say "dpkg -i in a fresh Debian 12 root: $version"
# The README's set-up ("Running for a team"), as far as a root without systemd goes: the group, the service
# user, a team store made as that user; then its engine runs under the packaged supervisor.
unshare --mount --propagation private -- chroot "$debian" /bin/bash -c '
    set -e; export PATH=/usr/sbin:/usr/bin:/sbin:/bin TZ=UTC
    groupadd dba
    adduser --system --group --home /var/lib/pitstop pitstop && adduser pitstop dba
    runuser -u pitstop -- pitstop --store /var/lib/pitstop/store store init --group dba
    runuser -u pitstop -- pitstop --store /var/lib/pitstop/store daemon --once
    [ "$(stat -c %G /var/lib/pitstop/store)" = dba ]' >"$work/chroot-engine.log" 2>&1 ||
    { cat "$work/chroot-engine.log" >&2; fail "the README's set-up failed in the Debian root"; }
verify_unit "$debian/lib/systemd/system/pitstop.service" /usr "$debian/usr" "the packaged unit"
say "the README's team set-up ran in the root (service user, team store, engine); the unit verifies"
rm -f "$debian/tmp/pitstop.deb"
installed=$(chroot "$debian" dpkg-query -L pitstop | while read -r path; do [ -d "$debian$path" ] || echo "$path"; done)
chroot "$debian" dpkg -r pitstop >>"$work/dpkg.log" 2>&1 || fail "dpkg -r failed"
left=$(diff <(echo "$before") <(snapshot) | grep '^>' || true)
[ "$left" = "> ./etc/default/pitstop" ] || fail "dpkg -r left more than the conffile /etc/default/pitstop: $left"
chroot "$debian" dpkg -P pitstop >>"$work/dpkg.log" 2>&1 || fail "dpkg -P failed"
left=$(diff <(echo "$before") <(snapshot) || true)
[ -z "$left" ] || fail "dpkg -P left files behind: $left"
while read -r path; do [ ! -e "$debian$path" ] || fail "dpkg -P left $path"; done <<<"$installed"
say "dpkg -r left only the conffile; dpkg -P left nothing ($((SECONDS - started)) s in all)"
