#!/usr/bin/env bash
# deb.sh: builds the Debian package of Pitstop from the files `make install` puts in place, with dpkg-deb
# alone (no network, no debhelper): .build/deb/pitstop_VERSION_ARCH.deb, and prints its path.
#
# Paths are Debian's: /usr/bin, /usr/libexec/pitstop, /usr/share/pitstop, /lib/systemd/system (bookworm),
# /usr/share/zsh/vendor-completions, /etc/default/pitstop as a conffile. The package's dependencies are read
# from the binaries by dpkg-shlibdeps; libcurl4 is recommended (loaded only for Patroni and etcd).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/.build/deb
root=$out/root
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture; do
    command -v "$tool" >/dev/null || die "$tool is missing; install dpkg-dev (scripts/setup.sh --test does)"
done

rm -rf "$root"
mkdir -p "$root"
DESTDIR=$root PREFIX=/usr SYSCONFDIR=/etc UNITDIR=/lib/systemd/system ZSHDIR=/usr/share/zsh/vendor-completions \
    "$here/scripts/install.sh" install >/dev/null

version=$("$root/usr/bin/pitstop" --version | awk '{print $2}')
[[ "$version" =~ ^[0-9][0-9a-z.+~-]*$ ]] || die "cannot read the version from pitstop --version: $version"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
date=$(cd "$here" && git log -1 --format=%cD 2>/dev/null) || date=$(date -uR)

# Documentation as Debian wants it: compressed man page and changelog, the copyright file, README.Debian.
gzip -9n "$root/usr/share/man/man1/pitstop.1"
doc=$root/usr/share/doc/pitstop
install -D -m 0644 "$here/contrib/debian/copyright" "$doc/copyright"
install -m 0644 "$here/contrib/debian/README.Debian" "$doc/README.Debian"
install -D -m 0644 "$here/contrib/debian/lintian-overrides" "$root/usr/share/lintian/overrides/pitstop"
printf 'pitstop (%s) unstable; urgency=medium\n\n  * Release %s, built from commit %s.\n\n -- Pitstop maintainers <maintainers@users.noreply.r-seed-c146618d.example>  %s\n' \
    "$version" "$version" "$(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$date" | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

# Dependencies, read from what the binaries link (dpkg-shlibdeps wants a debian/control to stand in).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/debian"
printf 'Source: pitstop\n\nPackage: pitstop\nArchitecture: any\n' >"$scratch/debian/control"
depends=$(cd "$scratch" && dpkg-shlibdeps -O "$root/usr/bin/pitstop" "$root/usr/libexec/pitstop/pitstop-supervisor" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies (is the build complete?)"

mkdir -p "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    "$here/contrib/debian/control.in" >"$root/DEBIAN/control"
echo /etc/default/pitstop >"$root/DEBIAN/conffiles"
install -m 0755 "$here/contrib/debian/postinst" "$here/contrib/debian/prerm" "$here/contrib/debian/postrm" "$root/DEBIAN/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

package=$out/pitstop_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$package" >/dev/null
echo "$package"
