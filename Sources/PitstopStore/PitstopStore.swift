// PitstopStore: the fleet on disk without SQLite or JSON. A checksummed binary snapshot, an
// append-only journal of changes since it, and a lock file; crash-safe replacement, recovery,
// compaction, and a change feed that readers follow at a cost proportional to what changed.
