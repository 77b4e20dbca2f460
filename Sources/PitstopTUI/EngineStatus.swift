import Foundation
import PitstopCore
import PitstopEngine

/// Who runs the engine for this store, as the header shows it.
enum EngineStatus: Equatable, Sendable {
    case embedded(running: Int)
    /// The engine here runs as a standby of a fleet in etcd: another host's engine leads and starts the work.
    case standby(running: Int)
    case daemon(pid: Int32)
    /// The process holding the engine's lock is stopped (Ctrl-Z, SIGSTOP): it starts nothing until continued.
    case stopped(pid: Int32)
    case none(reason: String)
    /// The embedded engine runs but the store refuses its writes (a full disk); it retries every tick.
    case waiting(running: Int, reason: String)

    /// Who runs the engine of a store seen from outside: the lock's holder, stopped or not, or nobody.
    static func holder(ofStore directory: String, none reason: String) -> EngineStatus {
        of(holder: EngineLock.holder(storeDirectory: directory), none: reason)
    }

    /// The status of an engine lock held by `pid` (stopped or running), or none when nobody holds it.
    static func of(holder pid: Int32?, none reason: String) -> EngineStatus {
        guard let pid else { return .none(reason: reason) }
        return isStopped(pid) ? .stopped(pid: pid) : .daemon(pid: pid)
    }

    /// Whether a process is stopped by a signal (state `T` in `/proc/PID/stat`).
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        // After "pid (comm) " comes the state letter; comm may hold spaces and parentheses, hence the last ")".
        let rest = stat[stat.index(after: close)...].drop { $0 == " " }
        return rest.first == "T"
    }

    /// The label in few words, for a narrow header: `engine on (3)`, `engine: pid 812`, `engine off`.
    var shortLabel: String {
        switch self {
        case .embedded(let running): return "engine on (\(running))"
        case .standby(let running): return "standby (\(running))"
        case .daemon(let pid): return "engine: pid \(pid)"
        case .stopped(let pid): return "engine STOPPED (\(pid))"
        case .none: return "engine off"
        case .waiting: return "engine WAITING"
        }
    }

    /// The engine here runs but the store refuses its writes.
    var isWaiting: Bool { if case .waiting = self { true } else { false } }

    /// Executions the engine inside this window runs, or nil when it runs none of its own.
    var runningHere: Int? {
        switch self {
        case .embedded(let running), .waiting(let running, _), .standby(let running): running
        case .daemon, .stopped, .none: nil
        }
    }

    /// `engine: on (3 running)`, `engine: in pid 812`, `engine: off (read-only)`.
    var label: String {
        switch self {
        case .embedded(let running): return "engine: on (\(running) running)"
        case .standby(let running): return "engine: standby, another host leads (\(running) running here)"
        case .daemon(let pid): return "engine: in pid \(pid)"
        case .stopped(let pid): return "engine: STOPPED (pid \(pid))"
        case .none(let reason): return "engine: off (\(reason))"
        case .waiting(let running, let reason): return "engine: WAITING (\(reason); \(running) running)"
        }
    }
}
