// sqlite-load FILE: the whole-process baseline of SPEC §21. Loads every task, resource and event of the
// benchmark fleet's SQLite file into C structs (the loader `pitstop-baselines` times in process) and prints
// the counts, as `pitstop store info` does, then exits without freeing, as a C command-line tool would.
#include "sqlite_loader.h"
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: sqlite-load FILE\n");
        return 2;
    }
    ps_fleet fleet;
    int rc = ps_load(argv[1], &fleet);
    if (rc != 0) {
        fprintf(stderr, "sqlite-load: %s: SQLite error %d\n", argv[1], rc);
        return 1;
    }
    printf("tasks        %zu\nresources    %zu\nevents       %zu\n", fleet.task_count, fleet.resource_count, fleet.event_count);
    return 0;
}
