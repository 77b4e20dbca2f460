// The process around the engine and the screens: stop signals, and who the local person is.
import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag the main loop checks, instead of killing the process mid-write.
public final class SignalFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var caught: Int32?
    private var sources: [any DispatchSourceSignal] = []

    public init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.lock.withLock { self?.caught = number } }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received, if any.
    public var received: Int32? { lock.withLock { caught } }
}

/// Who a person is in the audit log: `user@host (via)`, e.g. `ops@bastion (cli)` or `ops@bastion (tui)`.
public enum LocalActor {
    public static func name(via channel: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "user"
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(user)@\(host) (\(channel))"
    }
}
