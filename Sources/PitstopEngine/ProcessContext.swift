// The process around the engine and the screens: stop signals, and who the local person is.
import Dispatch
public import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the main loop checks, instead of killing the process mid-write.
/// The signals are taken by Dispatch sources (the kernel's signal is ignored, so no handler runs at all).
public final class SignalFlag: Sendable {
    /// The signal received, shared with the Dispatch handlers (a class, so that they hold the same one).
    private final class Caught: Sendable {
        let value = Mutex<Int32?>(nil)
    }

    private let caught = Caught()
    /// Kept for the flag's lifetime only (a source stops when released); never touched after `init`.
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// Catches these signals from now on.
    public init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        var sources: [any DispatchSourceSignal] = []
        let caught = self.caught
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { caught.value.withLock { $0 = number } }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    /// The signal received, if any.
    public var received: Int32? { caught.value.withLock { $0 } }
}

/// Who a person is in the audit log: `user@host (via)`, e.g. `ops@bastion (cli)` or `ops@bastion (tui)`.
/// The user comes from the process's real uid, never from `USER` or `LOGNAME` (anyone can set those). Under
/// `sudo` the invoking user is named too: `root@bastion (cli, sudo by alice)`.
public enum LocalActor {
    /// The actor for this process's person, through `channel` (`cli`, `tui`).
    public static func name(via channel: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let uid = getuid()
        let user = userName(uid: uid) ?? "uid \(uid)"
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        // SUDO_USER means something only when sudo made us root; otherwise it is just a variable.
        if uid == 0, let invoker = environment["SUDO_USER"], !invoker.isEmpty, invoker != user {
            return "\(user)@\(host) (\(channel), sudo by \(invoker))"
        }
        return "\(user)@\(host) (\(channel))"
    }

    /// The login name of a uid from the password database.
    static func userName(uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }
}
