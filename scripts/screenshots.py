"""Drive the real binary in tmux on a seeded demo store and save PNGs of each screen into screenshots/.

Run through `make screenshots` (which builds first). Deterministic apart from the clock and the live
engine's progress.
"""
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from ansi_png import render  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "pitstop")
OUT = os.path.join(ROOT, "screenshots")
COLS, ROWS = 132, 38
SOCKETS = []  # every tmux server started, so all are stopped at the end


def tmux(*args):
    return subprocess.run(["tmux", "-u", "-L", SOCKETS[-1], *args], check=True, capture_output=True, text=True).stdout


def wait_for(text, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "shots")
        if text in screen:
            return
        time.sleep(0.1)
    raise SystemExit(f"screenshots: timed out waiting for {text!r}; screen:\n{screen}")


def keys(*names, pause=0.4):
    tmux("send-keys", "-t", "shots", *names)
    time.sleep(pause)


SIZE = [COLS, ROWS]  # the size of the window the last start() opened


def shot(name, light=False):
    dump = tmux("capture-pane", "-p", "-e", "-t", "shots")
    path = os.path.join(OUT, name)
    render(dump, SIZE[0], SIZE[1], path, light=light)
    print(f"screenshots: {os.path.relpath(path, ROOT)}")


def start(store, arguments, ready, cols=COLS, rows=ROWS):
    """A new tmux server running the binary; earlier servers keep running (their engines too)."""
    SOCKETS.append(f"pitstop-shots-{os.getpid()}-{len(SOCKETS)}")
    SIZE[:] = [cols, rows]
    command = f"env TERM=screen-256color LANG=C.UTF-8 TZ=Asia/Seoul {BINARY} --store {store} {arguments}; sleep 600"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "shots", "-x", str(cols), "-y", str(rows), command)
    tmux("set-option", "-g", "window-size", "manual")
    wait_for(ready)


def stop_all(store=None):
    for socket in SOCKETS:
        subprocess.run(["tmux", "-u", "-L", socket, "kill-server"], capture_output=True)
    # Attempts outlive the consoles that started them: cancel the demo's (SIGTERM to each live supervisor).
    attempts = os.path.join(store, "attempts") if store else None
    for name in os.listdir(attempts) if attempts and os.path.isdir(attempts) else []:
        if not name.endswith(".attempt"):
            continue
        with open(os.path.join(attempts, name)) as record:
            try:
                fcntl.flock(record, fcntl.LOCK_SH | fcntl.LOCK_NB)
                continue  # unlocked: its supervisor is gone
            except OSError:
                pass
            for line in record.read().splitlines():
                if line.startswith("supervisor "):
                    try:
                        os.kill(int(line.split()[1]), signal.SIGTERM)
                    except (OSError, ValueError):
                        pass


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "store")
        subprocess.run([BINARY, "--store", store, "demo", "--seed", "42"], check=True, capture_output=True)
        try:
            start(store, "", "MT-0012")
            time.sleep(14)  # let the embedded engine start the first executions
            shot("task-list.png")
            keys("j", "Enter", pause=1.0)
            shot("resource-pane.png")
            # The output of a running attempt, followed live from its file.
            screen = tmux("capture-pane", "-p", "-t", "shots").splitlines()
            header = next(i for i, line in enumerate(screen) if line.startswith("── MT-")) + 2
            running = next((i for i, line in enumerate(screen) if i >= header and "▶" in line[:6]), None)
            if running is not None:
                keys(*(["j"] * (running - header)), "o", pause=2.5)
                shot("output.png")
                keys("Escape")
            keys("Escape", "Escape", "p", pause=1.5)
            shot("plan.png")
            keys("Escape", "j", "j", "E")
            wait_for("Reserve")
            shot("schedule-editor.png")
            # A dry run of the whole task (D), its verdicts recorded as events and shown beside each resource.
            keys("Escape", "D", pause=4.0)
            keys("Enter", pause=1.0)
            shot("rehearsal.png")
            keys("Escape", "v")
            shot("calendar.png")
            keys("Escape", "L")
            shot("event-log.png")
            keys("Escape", "?")
            shot("help.png")
            keys("Escape")
            # The history of the machine under the cursor, across every task it is in (H).
            keys("Escape", "Escape", "g", "j", "Enter", "H", pause=1.0)
            shot("history.png")
            # The : command line completing resource ids (Tab), then a field filter with its matches.
            keys("Escape", ":")
            tmux("send-keys", "-t", "shots", "-l", "res pg-0001")
            keys("Tab", pause=0.8)
            shot("command-line.png")
            keys("Escape", "Escape", "/")
            tmux("send-keys", "-t", "shots", "-l", "status:failed role:replica")
            keys("Enter", "Enter", "n", pause=1.0)
            shot("field-filter.png")
            keys("Escape", "Escape")
            start(store, "watch", "RECENT EVENTS")
            time.sleep(1)
            shot("watch.png")
            start(store, "--no-engine --theme colorblind", "MT-0012")
            keys("j", "Enter")
            shot("theme-colorblind.png")
            start(store, "--no-engine --theme light", "MT-0012")
            keys("j", "Enter")
            shot("theme-light.png", light=True)
            # The smallest common terminal and a wide one: the footer keeps ? help and q quit, names keep their ends.
            start(store, "--no-engine", "MT-0", cols=80, rows=24)
            keys("j", "Enter")
            shot("small-80x24.png")
            start(store, "--no-engine", "MT-0012", cols=200, rows=60)
            keys("j", "Enter")
            shot("wide-200x60.png")
            # Two operators on one resource: another process reserves what this editor is about.
            start(store, "--no-engine", "MT-0012")
            keys("/", "MT-0005", "Enter", "Enter", "e")
            wait_for("Reserve 1 resource")
            screen = tmux("capture-pane", "-p", "-t", "shots")
            task = subprocess.run([BINARY, "--store", store, "task", "MT-0005", "--json"], check=True, capture_output=True, text=True).stdout
            import json
            first = json.loads(task)["resources"][0]["id"]
            subprocess.run([BINARY, "--store", store, "reserve", "MT-0005", first, "--at", "now+5h"], check=True, capture_output=True)
            wait_for("changed since you opened this")
            shot("two-writers.png")
        finally:
            stop_all(store)


if __name__ == "__main__":
    main()
