#define _GNU_SOURCE
#include "pitstop_spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <unistd.h>

/// Signals the child must see with their default action, whatever the parent ignores or handles.
static void default_signals(posix_spawnattr_t *attributes) {
    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGCHLD);
    sigaddset(&defaults, SIGUSR1);
    posix_spawnattr_setsigmask(attributes, &empty);
    posix_spawnattr_setsigdefault(attributes, &defaults);
}

int pitstop_spawn(const char *const argv[], const char *const envp[], const char *cwd, int input_fd, int output_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return result;
    }
    if (input_fd >= 0) posix_spawn_file_actions_adddup2(&actions, input_fd, 0);
    else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (output_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
        posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    }
    if (cwd != NULL) posix_spawn_file_actions_addchdir_np(&actions, cwd);
    default_signals(&attributes);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    result = posix_spawnp(pid, argv[0], &actions, &attributes, (char *const *)argv, (char *const *)envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result;
}

int pitstop_spawn_supervisor(const char *path, const char *const argv[], const char *const envp[], int record_fd, int machine_fd,
                             const int *kept, int kept_count, pid_t *pid) {
    enum { most_kept = 8 };
    if (kept_count < 0 || kept_count > most_kept) return EINVAL;
    // Move every descriptor above the targets first, so that dup2 onto 3, 4, 5… cannot close another one.
    int high[2 + most_kept];
    int sources[2 + most_kept];
    int count = 2 + kept_count;
    sources[0] = record_fd;
    sources[1] = machine_fd;
    for (int i = 0; i < kept_count; i++) sources[2 + i] = kept[i];
    int result = 0;
    int made = 0;
    for (; made < count; made++) {
        high[made] = fcntl(sources[made], F_DUPFD_CLOEXEC, 20);
        if (high[made] < 0) {
            result = errno;
            break;
        }
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if (result == 0) result = posix_spawn_file_actions_init(&actions);
    if (result == 0 && (result = posix_spawnattr_init(&attributes)) != 0) posix_spawn_file_actions_destroy(&actions);
    if (result == 0) {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        // dup2 leaves the targets open across exec (the copies above close with it).
        for (int i = 0; i < count; i++) posix_spawn_file_actions_adddup2(&actions, high[i], 3 + i);
        default_signals(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        result = posix_spawn(pid, path, &actions, &attributes, (char *const *)argv, (char *const *)envp);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
    }
    for (int i = 0; i < made; i++) close(high[i]);
    return result;
}

int pitstop_memory_file(const void *data, size_t length) {
    int fd = memfd_create("pitstop-hook-input", MFD_CLOEXEC);
    if (fd < 0) return -1;
    const char *p = data;
    size_t left = length;
    while (left > 0) {
        ssize_t written = write(fd, p, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) {
            close(fd);
            return -1;
        }
        p += written;
        left -= (size_t)written;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}
