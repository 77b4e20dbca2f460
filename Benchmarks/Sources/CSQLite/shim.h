// SQLite's C API for the baseline benchmark, plus the SQLITE_TRANSIENT macro Swift cannot import.
#include <sqlite3.h>
static inline sqlite3_destructor_type pitstop_sqlite_transient(void) { return SQLITE_TRANSIENT; }
