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
