#!/usr/bin/env bash
# image.sh: builds (once) the Debian 12 root file system and the local apt repository that the real-upgrade
# suite's hosts are made from, and prints where they are.
#
#   scripts/e2e/image.sh            prints KEY=VALUE lines: ROOT, REPO, PG_OLD, PG_NEW, MARIADB_OLD, MARIADB_NEW
#
# The two versions of each database package are the oldest and the newest that this machine's apt sources
# offer (apt-cache madison), never written down here, so the suite follows the mirror. The image holds the
# older ones, installed but stopped; the repository holds both, every binary package of their sources, and the
# newer versions of the image's other packages that the sources offer, so that an OS update has real work.
# Cached under PITSTOP_E2E_CACHE (default /var/cache/pitstop-e2e), keyed by those versions; a second run
# reuses it. Needs root, debootstrap and dpkg-dev (scripts/setup.sh installs them).
set -euo pipefail

cache=${PITSTOP_E2E_CACHE:-/var/cache/pitstop-e2e}
layout=4   # bump when what the image holds changes, so old caches are not reused
log() { printf 'image: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "the host image is built as root (debootstrap, chroot)"
for tool in debootstrap dpkg-scanpackages apt-cache; do
    command -v "$tool" >/dev/null || die "$tool is missing; run scripts/setup.sh"
done

versions() { "$(dirname "$0")/apt-versions.sh" "$1" || exit 1; }

read -r pg_old pg_new < <(versions postgresql-15)
read -r maria_old maria_new < <(versions mariadb-server)
if [ -z "$pg_new" ] || [ -z "$maria_new" ]; then die "could not read the package versions the sources offer"; fi
key=$(printf 'layout %s\npg %s %s\nmariadb %s %s\n' "$layout" "$pg_old" "$pg_new" "$maria_old" "$maria_new" | sha256sum | cut -c1-16)
dir=$cache/$key
report() {
    printf 'ROOT=%s\nREPO=%s\nPG_OLD=%s\nPG_NEW=%s\nMARIADB_OLD=%s\nMARIADB_NEW=%s\n' \
        "$dir/root" "$dir/repo" "$pg_old" "$pg_new" "$maria_old" "$maria_new"
}
if [ -f "$dir/ready" ]; then report; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9   # two suites building at once would build one image twice
if [ -f "$dir/ready" ]; then report; exit 0; fi

started=$SECONDS
work=$dir.building
rm -rf "$work"
mkdir -p "$work/repo"
root=$work/root
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

log "debootstrap bookworm from $mirror (first run only; a few minutes)"
debootstrap --variant=minbase \
    --include=openssh-server,sudo,procps,iproute2,ca-certificates,gnupg,locales,less,psmisc \
    bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log: $work/debootstrap.log)"; }

# The machine's own sources, so the image sees every version this machine's apt does.
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
: >"$root/etc/apt/sources.list"
# No service starts while the image is built; the hosts' own init starts them (host.sh).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cat >"$root/etc/apt/preferences.d/pitstop-e2e-old" <<PIN
Package: src:postgresql-15
Pin: version $pg_old
Pin-Priority: 1001

Package: src:mariadb
Pin: version $maria_old
Pin-Priority: 1001
PIN

mounted=()
cleanup() { local m; for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount --bind /dev "$root/dev"; mounted+=("$root/dev")

in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
log "installing postgresql-15 $pg_old and mariadb-server $maria_old"
in_root apt-get update -qq >/dev/null
in_root apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 mariadb-server mariadb-client \
    >"$work/install.log" 2>&1 || { tail -20 "$work/install.log" >&2; die "installing the database packages failed"; }

# The local repository: both versions of every binary package of the two sources the image holds ...
# shellcheck disable=SC2016 # dpkg-query's own ${...} fields
mapfile -t db_packages < <(in_root dpkg-query -W -f '${Package} ${source:Package}\n' | awk '$2 == "postgresql-15" || $2 == "mariadb" {print $1}')
rm "$root/etc/apt/preferences.d/pitstop-e2e-old"
in_root apt-mark hold "${db_packages[@]}" >/dev/null
# ... and the newer versions of everything else the sources offer (an OS update's work).
mapfile -t upgrades < <(in_root apt-get -s upgrade | awk '/^Inst / {print $2 "=" substr($4, 2)}')
in_root apt-mark unhold "${db_packages[@]}" >/dev/null
log "repository: ${#db_packages[@]} database packages in two versions, ${#upgrades[@]} other upgrades"
mkdir -p "$root/tmp/repo"
(
    cd "$root/tmp/repo"
    for p in "${db_packages[@]}"; do
        case $p in mariadb*|libmariadb*|libmysql*|mysql*) old=$maria_old new=$maria_new ;; *) old=$pg_old new=$pg_new ;; esac
        printf '%s=%s\n%s=%s\n' "$p" "$old" "$p" "$new"
    done
    printf '%s\n' "${upgrades[@]}"
) >"$work/repo.list"
in_root bash -c 'cd /tmp/repo && xargs apt-get download -qq' <"$work/repo.list" >"$work/download.log" 2>&1 \
    || { tail -20 "$work/download.log" >&2; die "downloading the repository's packages failed"; }
mv "$root"/tmp/repo/*.deb "$work/repo/"
rmdir "$root/tmp/repo"
(cd "$work/repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages && gzip -9c Packages >Packages.gz)

# From now on the hosts know only the local repository, mounted read-only at /srv/pitstop-repo.
rm -f "$root"/etc/apt/sources.list.d/*.sources
echo 'deb [trusted=yes] file:/srv/pitstop-repo ./' >"$root/etc/apt/sources.list"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
mkdir -p "$root/srv/pitstop-repo"
mount --bind "$work/repo" "$root/srv/pitstop-repo"; mounted+=("$root/srv/pitstop-repo")
in_root apt-get update -qq >/dev/null
umount "$root/srv/pitstop-repo"
rm -f "$root/usr/sbin/policy-rc.d"

# The SSH user the runbooks log in as; its sudo rules come from contrib/ when a host starts.
in_root useradd --create-home --shell /bin/bash pitstop
in_root usermod -p '*' pitstop   # no password, but not locked: sshd lets a locked account in by no key
rm -f "$root"/etc/ssh/ssh_host_*   # each host gets keys of its own
cleanup; trap - EXIT
mv "$work" "$dir"
echo "built in $((SECONDS - started)) s" >"$dir/ready"
log "built in $((SECONDS - started)) s: $(du -sh "$dir" | cut -f1)"
report
