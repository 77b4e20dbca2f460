#!/usr/bin/env bash
# apt-versions.sh PACKAGE: prints the oldest and the newest version of PACKAGE that this machine's apt sources
# offer (apt-cache madison), on one line; fails when there are fewer than two. The test images follow the
# mirror through it instead of naming versions.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: apt-versions.sh PACKAGE" >&2; exit 2; }
all=$(apt-cache madison "$1" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u)
[ -n "$all" ] || { echo "error: apt-cache madison $1 finds nothing; run apt-get update" >&2; exit 1; }
oldest=''; newest=''
for v in $all; do
    if [ -z "$oldest" ] || dpkg --compare-versions "$v" lt "$oldest"; then oldest=$v; fi
    if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then newest=$v; fi
done
[ "$oldest" != "$newest" ] || { echo "error: the sources offer one version of $1 ($oldest); an upgrade test needs two" >&2; exit 1; }
printf '%s %s\n' "$oldest" "$newest"
