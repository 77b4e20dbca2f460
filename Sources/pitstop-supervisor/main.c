// pitstop-supervisor: the owner of one attempt. The engine starts it in a session of its own with the attempt's
// record file on descriptor 3 and the machine's lock file on descriptor 4, both already locked (flock LOCK_EX),
// so there is no instant at which a live attempt looks unlocked. From then on the attempt belongs to this small
// process, not to the engine or a console: it survives their SIGHUP, SIGINT, SIGTERM and SIGKILL, sends the
// child's output straight to a file, enforces the timeout, honours a cancellation, and writes every step to
// the record with fdatasync before going on. Written in C so that it starts in a millisecond, stays a few
// hundred kilobytes resident for hours, and does nothing between fork and exec that is not async-signal-safe.
//
// Usage (internal; `pitstop` builds the command line):
//   pitstop-supervisor --record PATH --output PATH [--timeout S] [--grace S] [--cwd DIR] [--mode OCTAL]
//                      [--simulate SECONDS --exit CODE --label TEXT --final TEXT]
//                      [--hook precheck|switchover|healthcheck COUNT ARG...]... [--kept N] -- ARGV...
//
// --kept N: descriptors 5 … 5+N-1 are runbooks the engine opened and checked (owner, mode, regular file) and
// that the steps run as /dev/fd/5 …: swapping the runbooks directory after the check changes nothing (SPEC §29).
//
// Steps, each a child in its own process group with the same environment, output and timeout: the precheck
// (read-only: it runs before `exec` is recorded, and a failure ends the attempt as "held"), the switchover (a
// primary's), the command itself, and after its success the health check.
//
// Record lines appended here, each whole or absent (see AttemptRecord.swift for the reader):
//   supervisor PID STARTED_MS        this process took the attempt over
//   exec MS                          about to fork and exec the command (written and synced first)
//   child PID MS                     the command runs as PID, leader of its own process group
//   end MS exit CODE [timeout S | cancelled BY]
//   end MS signal N [timeout S | cancelled BY]
//   end MS refused REASON            the command was never started
//   end MS held exit N               the precheck said no (exit N, or `signal N`): nothing ran
//   step NAME MS                     a hook starts (precheck, switchover, healthcheck)
//   end MS exit N step NAME [...]    a hook other than the precheck failed: the attempt failed there
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { RECORD_FD = 3, MACHINE_FD = 4 };
/// An attempt's output keeps its last OUTPUT_LIMIT bytes; it is cut back once it reaches twice that.
static const off_t OUTPUT_LIMIT = 1 << 20;

struct options {
    const char *record_path;
    const char *output_path;
    const char *cwd;
    double timeout;  // seconds; 0 = none
    double grace;    // seconds between SIGTERM and SIGKILL
    mode_t mode;
    int simulate;
    double sim_seconds;
    int sim_exit;
    const char *sim_label;
    const char *sim_final;
    int kept;  // descriptors 5 … 5+kept-1 stay open for the steps
    char **argv;
    char **precheck, **switchover, **healthcheck;
};

static long long wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/// Appends one whole line to the record and syncs it. Newlines inside the text become spaces.
static int record(const char *format, ...) {
    char line[1024];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (length < 0) return -1;
    if (length > (int)sizeof line - 2) length = (int)sizeof line - 2;
    for (int i = 0; i < length; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[length++] = '\n';
    const char *p = line;
    while (length > 0) {
        ssize_t written = write(RECORD_FD, p, (size_t)length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return -1;
        p += written;
        length -= (int)written;
    }
    return fdatasync(RECORD_FD);
}

/// Makes the record's name durable: a power cut after `exec` must not lose the file that says the command ran.
static int sync_directory_of(const char *path) {
    char directory[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) return 0;
    size_t length = (size_t)(slash - path);
    if (length == 0 || length >= sizeof directory) return 0;
    memcpy(directory, path, length);
    directory[length] = 0;
    int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = fsync(fd);
    close(fd);
    return result;
}

static int parse(int argc, char **argv, struct options *o) {
    memset(o, 0, sizeof *o);
    o->grace = 5;
    o->mode = 0600;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            o->argv = argv + i + 1;
            break;
        }
        if (strcmp(a, "--hook") == 0) {
            // --hook NAME COUNT ARG…: the hook's argv, NULL-terminated in place of the argument after it.
            if (i + 2 >= argc) return -1;
            const char *name = argv[i + 1];
            int count = atoi(argv[i + 2]);
            if (count < 1 || i + 3 + count > argc) return -1;
            char **hook = malloc(sizeof(char *) * (size_t)(count + 1));
            if (hook == NULL) return -1;
            for (int k = 0; k < count; k++) hook[k] = argv[i + 3 + k];
            hook[count] = NULL;
            if (strcmp(name, "precheck") == 0) o->precheck = hook;
            else if (strcmp(name, "switchover") == 0) o->switchover = hook;
            else if (strcmp(name, "healthcheck") == 0) o->healthcheck = hook;
            else return -1;
            i += 3 + count - 2;  // the loop adds 2
            continue;
        }
        if (value == NULL) return -1;
        if (strcmp(a, "--record") == 0) o->record_path = value;
        else if (strcmp(a, "--output") == 0) o->output_path = value;
        else if (strcmp(a, "--cwd") == 0) o->cwd = value;
        else if (strcmp(a, "--timeout") == 0) o->timeout = strtod(value, NULL);
        else if (strcmp(a, "--grace") == 0) o->grace = strtod(value, NULL);
        else if (strcmp(a, "--mode") == 0) o->mode = (mode_t)strtol(value, NULL, 8);
        else if (strcmp(a, "--simulate") == 0) { o->simulate = 1; o->sim_seconds = strtod(value, NULL); }
        else if (strcmp(a, "--exit") == 0) o->sim_exit = atoi(value);
        else if (strcmp(a, "--label") == 0) o->sim_label = value;
        else if (strcmp(a, "--final") == 0) o->sim_final = value;
        else if (strcmp(a, "--kept") == 0) o->kept = atoi(value);
        else return -1;
    }
    if (o->record_path == NULL || o->output_path == NULL || o->kept < 0 || o->kept > 8) return -1;
    if (!o->simulate && (o->argv == NULL || o->argv[0] == NULL)) return -1;
    if (o->sim_label == NULL) o->sim_label = "maintenance";
    if (o->sim_final == NULL) o->sim_final = "SIM: finished";
    return 0;
}

/// The stand-in command of the simulated executor: progress lines over the duration, then the outcome.
static void simulate(const struct options *o) {
    int steps = 20;
    double step = o->sim_seconds / steps;
    for (int i = 0; i < steps; i++) {
        int percent = i * 100 / steps;
        printf("PITSTOP_PROGRESS=%d\nSIM: %s %d%%\n", percent, o->sim_label, percent);
        fflush(stdout);
        if (step > 0) {
            struct timespec ts = {(time_t)step, (long)((step - (double)(time_t)step) * 1e9)};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
        }
    }
    printf("PITSTOP_PROGRESS=100\n%s\n", o->sim_final);
    fflush(stdout);
    _exit(o->sim_exit);
}

/// Runs in the child between fork and exec: only async-signal-safe calls (and, for the simulation, stdio in a
/// process that never execs).
static void become_command(const struct options *o, char **argv, int simulated, int output_fd, const sigset_t *original_mask) {
    setpgid(0, 0);
    close(RECORD_FD);
    close(MACHINE_FD);
    int ignored[] = {SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_DFL);
    sigprocmask(SIG_SETMASK, original_mask, NULL);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0 && null_fd != 0) {
        dup2(null_fd, 0);
        close(null_fd);
    }
    dup2(output_fd, 1);
    dup2(output_fd, 2);
    if (output_fd > 2) close(output_fd);
    if (o->cwd != NULL && chdir(o->cwd) != 0) {
        dprintf(2, "pitstop: cannot enter the working directory %s: %s\n", o->cwd, strerror(errno));
        _exit(126);
    }
    if (simulated) simulate(o);
    execvp(argv[0], argv);
    dprintf(2, "pitstop: cannot start %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/// Keeps the output file at most 2 × OUTPUT_LIMIT: the last OUTPUT_LIMIT bytes, from a line start, move to the
/// front under a note of what was dropped. The command appends (O_APPEND), so its writes land at the new end.
static void bound_output(int fd) {
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 2 * OUTPUT_LIMIT) return;
    char *buffer = malloc((size_t)OUTPUT_LIMIT);
    if (buffer == NULL) return;
    off_t from = st.st_size - OUTPUT_LIMIT;
    ssize_t got = pread(fd, buffer, (size_t)OUTPUT_LIMIT, from);
    if (got <= 0) {
        free(buffer);
        return;
    }
    char *start = memchr(buffer, '\n', (size_t)got);
    start = start ? start + 1 : buffer;
    size_t keep = (size_t)(buffer + got - start);
    char note[128];
    int note_length = snprintf(note, sizeof note, "[pitstop: %lld earlier bytes of output not kept]\n",
                               (long long)(from + (start - buffer)));
    off_t end = 0;
    if (pwrite(fd, note, (size_t)note_length, 0) == note_length && pwrite(fd, start, keep, note_length) == (ssize_t)keep) {
        end = note_length + (off_t)keep;
        // Whatever the command appended meanwhile follows, then the file is cut there.
        off_t copied = st.st_size;
        struct stat now;
        while (fstat(fd, &now) == 0 && now.st_size > copied) {
            size_t extra = (size_t)(now.st_size - copied);
            if (extra > (size_t)OUTPUT_LIMIT) extra = (size_t)OUTPUT_LIMIT;
            ssize_t n = pread(fd, buffer, extra, copied);
            if (n <= 0 || pwrite(fd, buffer, (size_t)n, end) != n) break;
            copied += n;
            end += n;
        }
        if (ftruncate(fd, end) != 0) {}
    }
    free(buffer);
}

/// Who asked for the cancellation, from RECORD.cancel (written by `pitstop cancel` or the console).
static void read_canceller(const char *path, char *by, size_t size) {
    snprintf(by, size, "an operator");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return;
    ssize_t n = read(fd, by, size - 1);
    close(fd);
    if (n <= 0) {
        snprintf(by, size, "an operator");
        return;
    }
    by[n] = 0;
    for (ssize_t i = 0; i < n; i++)
        if (by[i] == '\n' || by[i] == '\r') by[i] = i == n - 1 ? 0 : ' ';
}

/// How one step ended: its wait status, and why the supervisor stopped it (timeout or cancellation), if it did.
struct step_result {
    int status;
    char reason[512];
};

static int step_succeeded(const struct step_result *r) {
    return r->reason[0] == 0 && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

/// Runs one step as a child in its own process group: output to the attempt's file, the timeout, a
/// cancellation, the output bound. Returns 0 with the result, or -1 when the child could not be forked.
static int run_step(const struct options *o, char **argv, int simulated, int output_fd, int trim_fd, const sigset_t *original,
                    const char *cancel_path, struct step_result *result) {
    sigset_t waited;
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    sigaddset(&waited, SIGTERM);
    sigaddset(&waited, SIGUSR1);
    memset(result, 0, sizeof *result);
    double started = monotonic();
    pid_t child = fork();
    if (child < 0) {
        record("end %lld refused cannot fork: %s", wall_ms(), strerror(errno));
        return -1;
    }
    if (child == 0) become_command(o, argv, simulated, output_fd, original);
    setpgid(child, child);
    record("child %d %lld", (int)child, wall_ms());
    double terminated_at = 0;
    for (;;) {
        struct timespec wait = {0, 250 * 1000 * 1000};
        siginfo_t info;
        int signal_number = sigtimedwait(&waited, &info, &wait);
        pid_t reaped = waitpid(child, &result->status, WNOHANG);
        if (reaped == child) break;
        // A cancellation is a file beside the record (anyone who may write the store may cancel), and SIGUSR1
        // only says "look now"; SIGTERM sent to this process cancels too.
        if (terminated_at == 0 && signal_number != SIGTERM && access(cancel_path, F_OK) == 0) signal_number = SIGUSR1;
        if ((signal_number == SIGTERM || signal_number == SIGUSR1) && terminated_at == 0) {
            char by[256];
            if (signal_number == SIGUSR1) read_canceller(cancel_path, by, sizeof by);
            else snprintf(by, sizeof by, "SIGTERM sent to the supervisor (pid %d)", (int)getpid());
            snprintf(result->reason, sizeof result->reason, "cancelled %s", by);
            kill(-child, SIGTERM);
            terminated_at = monotonic();
        }
        double now = monotonic();
        if (terminated_at == 0 && o->timeout > 0 && now - started >= o->timeout) {
            snprintf(result->reason, sizeof result->reason, "timeout %g", o->timeout);
            kill(-child, SIGTERM);
            terminated_at = now;
        } else if (terminated_at > 0 && now - terminated_at >= o->grace) {
            kill(-child, SIGKILL);
        }
        bound_output(trim_fd);
    }
    // After a timeout or a cancellation nothing of the step's group may linger.
    if (terminated_at > 0) kill(-child, SIGKILL);
    bound_output(trim_fd);
    return 0;
}

static void finish(int trim_fd) {
    bound_output(trim_fd);
    fdatasync(trim_fd);
    close(trim_fd);
}

/// The outcome line: `end MS exit|signal N [step NAME] [timeout S | cancelled BY]`.
static void end_line(const struct step_result *r, const char *failed_step) {
    char step[64] = "";
    if (failed_step != NULL) snprintf(step, sizeof step, " step %s", failed_step);
    const char *space = r->reason[0] ? " " : "";
    if (WIFEXITED(r->status)) record("end %lld exit %d%s%s%s", wall_ms(), WEXITSTATUS(r->status), step, space, r->reason);
    else record("end %lld signal %d%s%s%s", wall_ms(), WTERMSIG(r->status), step, space, r->reason);
}

int main(int argc, char **argv) {
    struct options o;
    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "pitstop-supervisor: started by the pitstop engine, not by hand\n");
        return 2;
    }
    // The attempt must outlive whoever started it: its own session (the engine spawns it with setsid too),
    // and the signals a terminal or a shell would send are ignored. SIGTERM means "cancel", like SIGUSR1.
    setsid();
    int ignored[] = {SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);
    sigset_t waited, original;
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    sigaddset(&waited, SIGTERM);
    sigaddset(&waited, SIGUSR1);
    sigprocmask(SIG_BLOCK, &waited, &original);
    // Nothing but the two lock files and the runbooks is ours to keep; the command inherits no lock file.
    syscall(SYS_close_range, 5U + (unsigned)o.kept, ~0U, 0U);
    fcntl(RECORD_FD, F_SETFD, FD_CLOEXEC);
    fcntl(MACHINE_FD, F_SETFD, FD_CLOEXEC);
    if (fcntl(RECORD_FD, F_GETFD) < 0) return 3;

    if (record("supervisor %d %lld", (int)getpid(), wall_ms()) != 0 || sync_directory_of(o.record_path) != 0) {
        // Without a durable record nobody could tell later whether the command ran: do not run it.
        record("end %lld refused cannot write the attempt record: %s", wall_ms(), strerror(errno));
        return 4;
    }
    // The output gets exactly --mode (a team store's 0660 under a member's umask 077); the command keeps the
    // umask the supervisor was started with.
    mode_t inherited_umask = umask(0);
    int output_fd = open(o.output_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, o.mode);
    umask(inherited_umask);
    int trim_fd = output_fd >= 0 ? open(o.output_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1;
    if (output_fd < 0 || trim_fd < 0) {
        record("end %lld refused cannot open the output file %s: %s", wall_ms(), o.output_path, strerror(errno));
        return 5;
    }
    char cancel_path[PATH_MAX];
    snprintf(cancel_path, sizeof cancel_path, "%s.cancel", o.record_path);
    struct step_result result;
    if (o.precheck != NULL) {
        record("step precheck %lld", wall_ms());
        if (run_step(&o, o.precheck, 0, output_fd, trim_fd, &original, cancel_path, &result) != 0) return 6;
        if (!step_succeeded(&result)) {
            // A precheck that says no holds the resource: nothing was changed, so nothing is recorded as run.
            finish(trim_fd);
            if (result.reason[0]) end_line(&result, "precheck");
            else if (WIFEXITED(result.status)) record("end %lld held exit %d", wall_ms(), WEXITSTATUS(result.status));
            else record("end %lld held signal %d", wall_ms(), WTERMSIG(result.status));
            return 0;
        }
    }
    if (record("exec %lld", wall_ms()) != 0) {
        record("end %lld refused cannot write the attempt record: %s", wall_ms(), strerror(errno));
        return 4;
    }
    if (o.switchover != NULL) {
        record("step switchover %lld", wall_ms());
        if (run_step(&o, o.switchover, 0, output_fd, trim_fd, &original, cancel_path, &result) != 0) return 6;
        if (!step_succeeded(&result)) {
            finish(trim_fd);
            end_line(&result, "switchover");
            return 0;
        }
    }
    if (run_step(&o, o.argv, o.simulate, output_fd, trim_fd, &original, cancel_path, &result) != 0) return 6;
    if (step_succeeded(&result) && o.healthcheck != NULL) {
        record("step healthcheck %lld", wall_ms());
        if (run_step(&o, o.healthcheck, 0, output_fd, trim_fd, &original, cancel_path, &result) != 0) return 6;
        finish(trim_fd);
        end_line(&result, step_succeeded(&result) ? NULL : "healthcheck");
        return 0;
    }
    finish(trim_fd);
    end_line(&result, NULL);
    return 0;
}
