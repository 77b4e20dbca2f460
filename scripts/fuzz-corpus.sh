#!/usr/bin/env bash
# Regenerates the fuzz seed corpora in Fuzz/corpus/ from real files: a small demo store's snapshot and
# journal (after CLI reservations, exclusions and policy changes), its export, the shipped themes, and the
# TIME forms the README documents. Run after a format change; the seeds are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/pitstop
[ -x "$bin" ] || swift build --product pitstop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=Fuzz/corpus
rm -rf "$out" && mkdir -p "$out"/{snapshot,journal,import,time,theme}

store="$work/store"
"$bin" --store "$store" demo --tasks 6 --resources 18 --seed 7 --force >/dev/null
cp "$store/snapshot" "$out/snapshot/demo-6x3"
cp "$store/snapshot.bak" "$out/snapshot/empty-store"  # the store the demo replaced: a fresh, empty one
for task in MT-0001 MT-0002 MT-0003 MT-0004 MT-0005 MT-0006; do
    "$bin" --store "$store" reserve "$task" --all-pending --at now+2d --stagger 30 --per-slot 1 >/dev/null 2>&1 || true
done
"$bin" --store "$store" policy set maxConcurrency 7 >/dev/null
"$bin" --store "$store" policy set notifyCommand '["/bin/echo","hi"]' >/dev/null
first=$("$bin" --store "$store" task MT-0002 --json | sed -n 's/.*"resources" *: *\[ *{ *"id" *: *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$first" ] && "$bin" --store "$store" exclude MT-0002 "$first" >/dev/null 2>&1 || true
cp "$store/journal" "$out/journal/after-cli-writes"
head -c 36 "$store/journal" >"$out/journal/header-only"
"$bin" --store "$store" store compact >/dev/null
cp "$store/snapshot" "$out/snapshot/after-compaction"
"$bin" --store "$store" export >"$out/import/demo-export.json"


cat >"$out/import/minimal.json" <<'JSON'
{"tasks": [{"id": "T-1", "title": "Kernel patch", "service": "MySQL", "type": "kernel-upgrade",
  "requirement": "mandatory", "deadline": "2026-12-31T00:00:00Z", "priority": "high", "downtime": true,
  "executor": {"kind": "command", "argv": ["./upgrade.sh"], "timeoutSeconds": 60},
  "resources": [{"id": "db-1", "name": "orders-primary"}, {"id": "db-2", "name": "주문-복제본 🚀"}]}]}
JSON

i=0
for t in "2026-12-01T02:00:00+09:00" "2026-12-01T02:00:00Z" "2026-12-01 02:00" "2026-03-08 02:30" \
         "2026-11-01 01:30" "now" "now+25h" "now-90s" "now+1d2h30m" "2026-12-01 02:00:59"; do
    printf '%b%s' "\\x$(printf %02x $i)" "$t" >"$out/time/form-$i"
    i=$((i + 1))
done

cp Themes/* "$out/theme/"
echo "seeds: $(find "$out" -type f | wc -l) files in $out"
