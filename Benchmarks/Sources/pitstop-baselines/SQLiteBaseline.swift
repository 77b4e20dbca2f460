import CSQLite
import Foundation
import PitstopCore

struct SQLiteError: Error, CustomStringConvertible {
    var description: String
}

/// The fleet in SQLite: three tables (the columns the store holds for the benchmark fleet), written in one transaction with prepared statements, WAL journal,
/// synchronous=FULL so that an update is as durable as Pitstop's.
final class SQLiteBaseline {
    let db: OpaquePointer

    init(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let handle else { throw SQLiteError(description: "cannot open \(path)") }
        db = handle
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
    }

    deinit { sqlite3_close(db) }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw SQLiteError(description: String(cString: sqlite3_errmsg(db))) }
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(description: String(cString: sqlite3_errmsg(db)))
        }
        return statement
    }

    func text(_ s: OpaquePointer, _ i: Int32, _ value: String?) {
        if let value { sqlite3_bind_text(s, i, value, -1, pitstop_sqlite_transient()) } else { sqlite3_bind_null(s, i) }
    }

    func date(_ s: OpaquePointer, _ i: Int32, _ value: Date?) {
        if let value { sqlite3_bind_double(s, i, value.timeIntervalSince1970) } else { sqlite3_bind_null(s, i) }
    }

    func step(_ s: OpaquePointer) throws {
        guard sqlite3_step(s) == SQLITE_DONE else { throw SQLiteError(description: String(cString: sqlite3_errmsg(db))) }
        sqlite3_reset(s)
    }

    func write(_ fleet: FleetState) throws {
        try exec("""
            CREATE TABLE tasks(id TEXT PRIMARY KEY, title TEXT, service TEXT, requirement TEXT, recommended_at REAL,
              deadline REAL, priority TEXT, type TEXT, downtime INTEGER, retries INTEGER, max_concurrency INTEGER, position INTEGER);
            CREATE TABLE resources(task_id TEXT, id TEXT, name TEXT, scheduled_at REAL, status TEXT, attempts INTEGER,
              failures INTEGER, progress INTEGER, last_message TEXT, last_failure_at REAL, position INTEGER,
              cluster TEXT, role TEXT, endpoint TEXT, PRIMARY KEY(task_id, id));
            CREATE TABLE events(sequence INTEGER PRIMARY KEY, time REAL, actor TEXT, task_id TEXT, resource_id TEXT, kind TEXT, message TEXT,
              key TEXT, attempt_id INTEGER);
            BEGIN;
            """)
        let task = try prepare("INSERT INTO tasks VALUES(?,?,?,?,?,?,?,?,?,?,?,?)")
        let resource = try prepare("INSERT INTO resources VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        let event = try prepare("INSERT INTO events VALUES(?,?,?,?,?,?,?,?,?)")
        defer { [task, resource, event].forEach { sqlite3_finalize($0) } }
        for (position, t) in fleet.tasks.enumerated() {
            text(task, 1, t.id); text(task, 2, t.title); text(task, 3, t.service.rawValue); text(task, 4, t.requirement.rawValue)
            date(task, 5, t.recommendedAt); date(task, 6, t.deadline); text(task, 7, t.priority.rawValue); text(task, 8, t.type.rawValue)
            sqlite3_bind_int(task, 9, t.downtime ? 1 : 0); sqlite3_bind_int(task, 10, Int32(t.retries))
            if let limit = t.maxConcurrency { sqlite3_bind_int(task, 11, Int32(limit)) } else { sqlite3_bind_null(task, 11) }
            sqlite3_bind_int(task, 12, Int32(position))
            try step(task)
            for (index, r) in t.resources.enumerated() {
                text(resource, 1, t.id); text(resource, 2, r.id); text(resource, 3, r.name); date(resource, 4, r.scheduledAt)
                text(resource, 5, r.status.rawValue); sqlite3_bind_int(resource, 6, Int32(r.attempts)); sqlite3_bind_int(resource, 7, Int32(r.failures))
                sqlite3_bind_int(resource, 8, Int32(r.progress)); text(resource, 9, r.lastMessage); date(resource, 10, r.lastFailureAt)
                sqlite3_bind_int(resource, 11, Int32(index))
                text(resource, 12, r.cluster); text(resource, 13, r.role.rawValue); text(resource, 14, r.endpoint)
                try step(resource)
            }
        }
        for e in fleet.events {
            sqlite3_bind_int64(event, 1, Int64(e.sequence)); date(event, 2, e.time); text(event, 3, e.actor); text(event, 4, e.taskID)
            text(event, 5, e.resourceID); text(event, 6, e.kind.rawValue); text(event, 7, e.message); text(event, 8, e.key)
            if let attempt = e.attemptID { sqlite3_bind_int64(event, 9, Int64(attempt)) } else { sqlite3_bind_null(event, 9) }
            try step(event)
        }
        try exec("COMMIT;")
    }

    func column(_ s: OpaquePointer, _ i: Int32) -> String? {
        sqlite3_column_type(s, i) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(s, i))
    }

    func columnDate(_ s: OpaquePointer, _ i: Int32) -> Date? {
        sqlite3_column_type(s, i) == SQLITE_NULL ? nil : Date(timeIntervalSince1970: sqlite3_column_double(s, i))
    }

    /// Every row back into the domain's structs, as a store open would.
    func load() throws -> FleetState {
        var tasks: [MaintenanceTask] = []
        var index: [String: Int] = [:]
        let t = try prepare("SELECT * FROM tasks ORDER BY position")
        while sqlite3_step(t) == SQLITE_ROW {
            let task = MaintenanceTask(
                id: column(t, 0)!, title: column(t, 1)!, service: Service(rawValue: column(t, 2)!)!,
                requirement: Requirement(rawValue: column(t, 3)!)!, recommendedAt: columnDate(t, 4)!, deadline: columnDate(t, 5),
                priority: Priority(rawValue: column(t, 6)!)!, type: TaskType(rawValue: column(t, 7)!)!, downtime: sqlite3_column_int(t, 8) != 0,
                retries: Int(sqlite3_column_int(t, 9)),
                maxConcurrency: sqlite3_column_type(t, 10) == SQLITE_NULL ? nil : Int(sqlite3_column_int(t, 10)))
            index[task.id] = tasks.count
            tasks.append(task)
        }
        sqlite3_finalize(t)
        let r = try prepare("SELECT * FROM resources ORDER BY task_id, position")
        while sqlite3_step(r) == SQLITE_ROW {
            let resource = Resource(
                id: column(r, 1)!, name: column(r, 2)!, scheduledAt: columnDate(r, 3), status: ResourceStatus(rawValue: column(r, 4)!)!,
                attempts: Int(sqlite3_column_int(r, 5)), failures: Int(sqlite3_column_int(r, 6)), progress: Int(sqlite3_column_int(r, 7)),
                lastMessage: column(r, 8) ?? "", lastFailureAt: columnDate(r, 9))
            tasks[index[column(r, 0)!]!].resources.append(resource)
        }
        sqlite3_finalize(r)
        var events: [Event] = []
        let e = try prepare("SELECT * FROM events ORDER BY sequence")
        while sqlite3_step(e) == SQLITE_ROW {
            events.append(Event(
                sequence: UInt64(sqlite3_column_int64(e, 0)), time: columnDate(e, 1)!, actor: column(e, 2)!, taskID: column(e, 3),
                resourceID: column(e, 4), kind: EventKind(rawValue: column(e, 5)!), message: column(e, 6)!))
        }
        sqlite3_finalize(e)
        return FleetState(tasks: tasks, policy: Policy(), events: events)
    }

    func updateStatus(taskID: String, resourceID: String, status: ResourceStatus) throws {
        let s = try prepare("UPDATE resources SET status = ? WHERE task_id = ? AND id = ?")
        defer { sqlite3_finalize(s) }
        text(s, 1, status.rawValue); text(s, 2, taskID); text(s, 3, resourceID)
        try step(s)
    }
}
