#!/usr/bin/env python3
"""Whole-process benchmark (SPEC §21): commands timed from outside as a user feels them.

    process-bench.py PITSTOP LOADER DIR [--runs N]

DIR is what `pitstop-baselines --prepare DIR` wrote: the benchmark fleet as a store (DIR/store), as an
SQLite file (DIR/fleet.sqlite) and a task with two pending resources (DIR/target). Each case runs N times,
alternating with its partner (store info with the C SQLite loader of the same rows; the others with
nothing, so in turn with each other), and prints medians, the ratio, peak memory and the budget verdicts.
Time is the wall clock from spawn to exit (os.posix_spawn, os.wait4); peak memory is the child's ru_maxrss.
The console's first frame is timed in a pseudo-terminal, from spawn until its footer has been drawn.
"""
import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time


def spawn(argv, env=None):
    """Runs argv to completion with output discarded; returns (wall ms, peak KiB). Fails on a non-zero exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env or os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, usage = os.wait4(pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"process-bench: {' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss


def first_frame(argv, marker, env):
    """Milliseconds from spawning the console in a 200×60 pseudo-terminal until `marker` (drawn last, in
    its footer) has been written; then it is told to quit."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    seen = b""
    elapsed = None
    deadline = start + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen += chunk
        if marker in seen:
            elapsed = (time.perf_counter() - start) * 1000
            break
    os.write(fd, b"q")
    # Drain until it exits so the next run starts on a quiet machine.
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 2)
            if not ready or not os.read(fd, 65536):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        sys.exit(f"process-bench: the console never drew {marker!r}; it showed: {seen[-300:]!r}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pitstop")
    parser.add_argument("loader")
    parser.add_argument("dir")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    pitstop, store = os.path.abspath(args.pitstop), os.path.join(args.dir, "store")
    task, first, second = open(os.path.join(args.dir, "target")).read().split()
    # The console as a user sees it: colours on, a config directory of its own (its : history goes there).
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", XDG_CONFIG_HOME=os.path.join(args.dir, "config"))

    def cli(*words):
        return [pitstop, "--store", store, *words]

    cases = {
        "store info": cli("store", "info"),
        "C SQLite loader": [os.path.abspath(args.loader), os.path.join(args.dir, "fleet.sqlite")],
        "tasks --status failed": cli("tasks", "--status", "failed"),
        f"task {task}": cli("task", task),
        # Reserving twice, at two times, so that every run is a real, durable write (a reschedule).
        "reserve (1 resource)": None,
        "pitstop --version": [pitstop, "--version"],
    }
    times = {name: [] for name in cases}
    peaks = {name: [] for name in cases}
    times["console first frame"] = []
    slots = ["now+1d", "now+2d"]
    console_store = os.path.join(args.dir, "console-store")
    for run in range(args.runs):
        for name, argv in cases.items():
            if argv is None:
                argv = cli("reserve", task, first, "--at", slots[run % 2])
            elapsed, peak = spawn(argv, env)
            times[name].append(elapsed)
            peaks[name].append(peak)
        # The console runs its engine, which starts what is due and writes: each run opens a fresh copy.
        subprocess.run(["rm", "-rf", console_store], check=True)
        subprocess.run(["cp", "-a", store, console_store], check=True)
        times["console first frame"].append(first_frame([pitstop, "--store", console_store], b" quit", env))
    # Leave the store as prepared.
    spawn(cli("clear", task, first), env)
    subprocess.run(["rm", "-rf", console_store], check=True)

    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"Whole processes, {args.runs} runs alternated, medians (wall clock from spawn to exit):")
    for name, value in median.items():
        peak = f"   peak {statistics.median(peaks[name]) / 1024:5.1f} MB" if peaks.get(name) else ""
        spread = f"{min(times[name]):6.1f}–{max(times[name]):.1f}"
        print(f"  {name:24} {value:7.1f} ms  ({spread}){peak}")
    ratio = median["C SQLite loader"] / median["store info"]
    info_peak = statistics.median(peaks["store info"]) / 1024
    verdicts = [
        ("store info ≥ 3× faster than the C SQLite loader", ratio >= 3, f"{ratio:.2f}×"),
        (f"task {task} ≤ 20 ms", median[f"task {task}"] <= 20, f"{median[f'task {task}']:.1f} ms"),
        ("reserve ≤ 30 ms", median["reserve (1 resource)"] <= 30, f"{median['reserve (1 resource)']:.1f} ms"),
        ("store info peak memory ≤ 40 MB", info_peak <= 40, f"{info_peak:.1f} MB"),
        ("console first frame ≤ 50 ms", median["console first frame"] <= 50, f"{median['console first frame']:.1f} ms"),
    ]
    print("Budgets (SPEC §21):")
    for text, ok, figure in verdicts:
        print(f"  {text:50} {figure:>9}   {'ok' if ok else 'OVER'}")


if __name__ == "__main__":
    main()
