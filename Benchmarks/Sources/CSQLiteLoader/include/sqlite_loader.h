// The honest bar for "faster than SQLite" (SPEC §14): a plain C program's way of loading the fleet's rows
// from SQLite into C structs, one malloc'd string per text column, no Swift in the loop.
#ifndef PITSTOP_SQLITE_LOADER_H
#define PITSTOP_SQLITE_LOADER_H
#include <stddef.h>

typedef struct {
    char *id, *title, *service, *requirement, *priority, *type;
    double recommended_at, deadline;
    int downtime, retries, max_concurrency, position;
} ps_task;

typedef struct {
    char *task_id, *id, *name, *status, *last_message, *cluster, *role, *endpoint;
    double scheduled_at, last_failure_at;
    int attempts, failures, progress, position;
} ps_resource;

typedef struct {
    long long sequence, attempt_id;
    double time;
    char *actor, *task_id, *resource_id, *kind, *message, *key;
} ps_event;

typedef struct {
    ps_task *tasks;
    size_t task_count;
    ps_resource *resources;
    size_t resource_count;
    ps_event *events;
    size_t event_count;
} ps_fleet;

/// Loads every task, resource and event of the SQLite file at `path` into `out`; 0 on success, else an
/// SQLite result code (and `out` is left empty).
int ps_load(const char *path, ps_fleet *out);

/// As `ps_load`; with `with_events` 0, only tasks and resources (what a store that keeps its log on disk decodes).
int ps_load_rows(const char *path, ps_fleet *out, int with_events);

/// Frees what `ps_load` allocated.
void ps_free(ps_fleet *fleet);

#endif
