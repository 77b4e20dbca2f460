import Foundation
import PitstopCore

/// Who runs the engine for this store, as the header shows it.
enum EngineStatus: Equatable, Sendable {
    case embedded(running: Int)
    case daemon(pid: Int32)
    case none(reason: String)
    /// The embedded engine runs but the store refuses its writes (a full disk); it retries every tick.
    case waiting(running: Int, reason: String)

    /// The engine here runs but the store refuses its writes.
    var isWaiting: Bool { if case .waiting = self { true } else { false } }

    /// Executions the engine inside this window runs, or nil when it runs none of its own.
    var runningHere: Int? {
        switch self {
        case .embedded(let running), .waiting(let running, _): running
        case .daemon, .none: nil
        }
    }

    /// `engine: on (3 running)`, `engine: in pid 812`, `engine: off (read-only)`.
    var label: String {
        switch self {
        case .embedded(let running): return "engine: on (\(running) running)"
        case .daemon(let pid): return "engine: in pid \(pid)"
        case .none(let reason): return "engine: off (\(reason))"
        case .waiting(let running, let reason): return "engine: WAITING (\(reason); \(running) running)"
        }
    }
}
