// See include/sqlite_loader.h. Written the way a C programmer would load rows: prepared statements, one
// growing array per table, strdup for text, NULL for SQL NULL.
#include "sqlite_loader.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static char *text(sqlite3_stmt *s, int column) {
    const unsigned char *value = sqlite3_column_text(s, column);
    return value ? strdup((const char *)value) : NULL;
}

static double real_or_nan(sqlite3_stmt *s, int column) {
    return sqlite3_column_type(s, column) == SQLITE_NULL ? __builtin_nan("") : sqlite3_column_double(s, column);
}

// Grows `*array` (of `size`-byte items) to hold one more than `count`; returns the new item, zeroed.
static void *append(void **array, size_t *count, size_t *capacity, size_t size) {
    if (*count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 1024;
        *array = realloc(*array, *capacity * size);
        if (!*array) abort();
    }
    void *item = (char *)*array + (*count)++ * size;
    memset(item, 0, size);
    return item;
}

int ps_load(const char *path, ps_fleet *out) { return ps_load_rows(path, out, 1); }

int ps_load_rows(const char *path, ps_fleet *out, int with_events) {
    memset(out, 0, sizeof *out);
    sqlite3 *db;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) { sqlite3_close(db); return rc; }
    sqlite3_stmt *s;
    size_t capacity = 0;

    rc = sqlite3_prepare_v2(db, "SELECT id, title, service, requirement, priority, type, recommended_at, deadline, downtime, "
                                "retries, max_concurrency, position FROM tasks ORDER BY position", -1, &s, NULL);
    if (rc != SQLITE_OK) goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ps_task *t = append((void **)&out->tasks, &out->task_count, &capacity, sizeof *t);
        t->id = text(s, 0); t->title = text(s, 1); t->service = text(s, 2); t->requirement = text(s, 3);
        t->priority = text(s, 4); t->type = text(s, 5);
        t->recommended_at = real_or_nan(s, 6); t->deadline = real_or_nan(s, 7);
        t->downtime = sqlite3_column_int(s, 8); t->retries = sqlite3_column_int(s, 9);
        t->max_concurrency = sqlite3_column_type(s, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 10);
        t->position = sqlite3_column_int(s, 11);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) goto fail;

    capacity = 0;
    rc = sqlite3_prepare_v2(db, "SELECT task_id, id, name, status, last_message, cluster, role, endpoint, scheduled_at, "
                                "last_failure_at, attempts, failures, progress, position FROM resources ORDER BY task_id, position", -1, &s, NULL);
    if (rc != SQLITE_OK) goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ps_resource *r = append((void **)&out->resources, &out->resource_count, &capacity, sizeof *r);
        r->task_id = text(s, 0); r->id = text(s, 1); r->name = text(s, 2); r->status = text(s, 3);
        r->last_message = text(s, 4); r->cluster = text(s, 5); r->role = text(s, 6); r->endpoint = text(s, 7);
        r->scheduled_at = real_or_nan(s, 8); r->last_failure_at = real_or_nan(s, 9);
        r->attempts = sqlite3_column_int(s, 10); r->failures = sqlite3_column_int(s, 11);
        r->progress = sqlite3_column_int(s, 12); r->position = sqlite3_column_int(s, 13);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) goto fail;

    if (!with_events) {
        sqlite3_close(db);
        return 0;
    }
    capacity = 0;
    rc = sqlite3_prepare_v2(db, "SELECT sequence, time, actor, task_id, resource_id, kind, message, key, attempt_id "
                                "FROM events ORDER BY sequence", -1, &s, NULL);
    if (rc != SQLITE_OK) goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ps_event *e = append((void **)&out->events, &out->event_count, &capacity, sizeof *e);
        e->sequence = sqlite3_column_int64(s, 0); e->time = sqlite3_column_double(s, 1);
        e->actor = text(s, 2); e->task_id = text(s, 3); e->resource_id = text(s, 4); e->kind = text(s, 5);
        e->message = text(s, 6); e->key = text(s, 7);
        e->attempt_id = sqlite3_column_type(s, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 8);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) goto fail;
    sqlite3_close(db);
    return 0;

fail:
    sqlite3_close(db);
    ps_free(out);
    return rc;
}

void ps_free(ps_fleet *fleet) {
    for (size_t i = 0; i < fleet->task_count; i++) {
        ps_task *t = &fleet->tasks[i];
        free(t->id); free(t->title); free(t->service); free(t->requirement); free(t->priority); free(t->type);
    }
    for (size_t i = 0; i < fleet->resource_count; i++) {
        ps_resource *r = &fleet->resources[i];
        free(r->task_id); free(r->id); free(r->name); free(r->status); free(r->last_message);
        free(r->cluster); free(r->role); free(r->endpoint);
    }
    for (size_t i = 0; i < fleet->event_count; i++) {
        ps_event *e = &fleet->events[i];
        free(e->actor); free(e->task_id); free(e->resource_id); free(e->kind); free(e->message); free(e->key);
    }
    free(fleet->tasks); free(fleet->resources); free(fleet->events);
    memset(fleet, 0, sizeof *fleet);
}
