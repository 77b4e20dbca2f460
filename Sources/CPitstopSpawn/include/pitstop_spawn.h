// Starting a child process for the command executor: posix_spawn with a new process group, a working
// directory (posix_spawn_file_actions_addchdir_np, which Swift's Glibc module does not import), standard
// input from /dev/null, stdout and stderr into one pipe, and default signal handling restored.
#ifndef PITSTOP_SPAWN_H
#define PITSTOP_SPAWN_H
#include <sys/types.h>

/// Spawns `argv[0]` (searched in PATH when it has no slash) with `envp`, in `cwd` when not NULL, as the
/// leader of a new process group. Returns 0 and sets `*pid`, or an errno value.
int pitstop_spawn(const char *const argv[], const char *const envp[], const char *cwd, int output_fd, pid_t *pid);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends no other child inherits by accident.
int pitstop_pipe_cloexec(int fds[2]);

#endif
