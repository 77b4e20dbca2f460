#!/usr/bin/env bash
# make fuzz: builds pitstop-fuzz with libFuzzer and AddressSanitizer (release, coverage on every Pitstop
# module) and runs each target for FUZZ_SECONDS (default 300) on a working corpus grown from Fuzz/corpus.
# Crashes land in .fuzz/crashes/TARGET/; turn each into a file under Fuzz/regressions/TARGET/ (make test
# replays them). FUZZ_TARGETS picks targets, e.g. FUZZ_TARGETS="snapshot journal".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-snapshot journal import time theme}
build=.build-fuzz
# SwiftPM links through gold, which cannot link libFuzzer's objects; lld can.
swift build -c release --build-path "$build" --product pitstop-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DPITSTOP_LIBFUZZER \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
bin="$build/release/pitstop-fuzz"
export SWIFT_BACKTRACE=enable=no  # let the sanitizer report crashes, not the Swift runtime
status=0
for target in $targets; do
    corpus=.fuzz/corpus/$target crashes=.fuzz/crashes/$target
    mkdir -p "$corpus" "$crashes"
    cp -n Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
    echo "== $target: ${seconds}s"
    log=.fuzz/$target.log
    if ! "$bin" "$target" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
        status=1
        echo "   CRASH: see $log and $crashes/"
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$log" | sed 's/^/   /' || true
    echo "   corpus: $(ls "$corpus" | wc -l) inputs"
done
exit $status
