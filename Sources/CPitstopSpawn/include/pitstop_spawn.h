// Starting child processes: the command of a notification hook (a new process group, standard input from a
// descriptor, output discarded) and an attempt's supervisor (a new session, holding the attempt's two locked
// files on descriptors 3 and 4). posix_spawn, because Swift cannot fork safely; the file actions Swift's Glibc
// module does not import (addchdir_np, POSIX_SPAWN_SETSID) live here.
#ifndef PITSTOP_SPAWN_H
#define PITSTOP_SPAWN_H
#include <sys/types.h>

/// Spawns `argv[0]` (searched in PATH when it has no slash) with `envp`, in `cwd` when not NULL, as the
/// leader of a new process group, with standard input from `input_fd` (or /dev/null when -1) and standard
/// output and error into `output_fd` (or /dev/null when -1). Returns 0 and sets `*pid`, or an errno value.
int pitstop_spawn(const char *const argv[], const char *const envp[], const char *cwd, int input_fd, int output_fd, pid_t *pid);

/// Spawns the supervisor program `path` in a new session with `record_fd` as descriptor 3 and `machine_fd`
/// as descriptor 4 (both locked by the caller, who closes its copies afterwards: the locks pass to the
/// supervisor with the open file descriptions), every standard stream on /dev/null, and the `kept_count`
/// descriptors of `kept` as descriptors 5, 6, … (the runbooks, opened and checked by the engine, that the
/// supervisor runs as /dev/fd/N). Returns 0 or an errno value.
int pitstop_spawn_supervisor(const char *path, const char *const argv[], const char *const envp[], int record_fd, int machine_fd,
                             const int *kept, int kept_count, pid_t *pid);

/// An anonymous in-memory file (memfd_create) holding `length` bytes of `data`, positioned at its start:
/// the standard input of a hook, which can never block the engine the way a full pipe would. -1 on failure.
int pitstop_memory_file(const void *data, size_t length);

#endif
