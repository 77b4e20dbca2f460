import CPitstopSpawn
public import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Sends notifications to the policy's `notifyCommand`: the event as JSON on stdin, each hook in a process
/// group of its own that is killed as a group at the timeout. Hooks wait in a bounded queue and at most
/// `parallel` run at once; the engine's loop calls `pump` every tick, so no thread waits on a hook, and a
/// failing hook becomes an event, never a crash. A full queue drops the newest and says so.
public final class NotifyHook {
    /// How long a hook may run before its process group is killed.
    public static let timeout: TimeInterval = 10
    /// Hooks waiting to run at most; beyond it a notification is dropped (and recorded as not delivered).
    public static let queueLimit = 64
    /// Hooks running at once at most.
    public static let parallel = 4

    private struct Running {
        var event: Event
        var program: String
        var pid: pid_t
        var deadline: Date
    }

    private var queue: [(event: Event, argv: [String])] = []
    private var runningHooks: [Running] = []
    private var failures: [(Event, String)] = []
    /// Notifications dropped because the queue was full, since this hook was made (for `/metrics`).
    public private(set) var dropped: UInt64 = 0

    /// A hook runner with nothing queued.
    public init() {}

    /// Queues the hook for `event`; it starts on this or a later `pump`.
    public func send(_ event: Event, argv: [String]) {
        guard !argv.isEmpty else { return }
        guard queue.count < Self.queueLimit else {
            dropped += 1
            failures.append((event, "\(Self.queueLimit) notifications were already waiting for \(argv[0]); this one was dropped"))
            return
        }
        queue.append((event, argv))
        pump(now: Date())
    }

    /// Reaps finished hooks, stops those past their timeout, and starts waiting ones. Never blocks.
    public func pump(now: Date) {
        runningHooks.removeAll { hook in
            var status: Int32 = 0
            if waitpid(hook.pid, &status, WNOHANG) == hook.pid {
                let exited = status & 0x7F == 0
                if !(exited && (status >> 8) & 0xFF == 0) {
                    failures.append((hook.event, exited ? "\(hook.program) exited with status \((status >> 8) & 0xFF)" : "\(hook.program) was killed by signal \(status & 0x7F)"))
                }
                return true
            }
            if now >= hook.deadline {
                kill(-hook.pid, SIGKILL)
                _ = waitpid(hook.pid, &status, 0)
                failures.append((hook.event, "\(hook.program) did not finish within \(Int(Self.timeout))s and was stopped"))
                return true
            }
            return false
        }
        while runningHooks.count < Self.parallel, !queue.isEmpty {
            let (event, argv) = queue.removeFirst()
            start(event, argv: argv, now: now)
        }
    }

    /// Whether hooks are still waiting or running.
    public var isBusy: Bool { !queue.isEmpty || !runningHooks.isEmpty }

    private func start(_ event: Event, argv: [String], now: Date) {
        var data = ExportFormat.json(ExportFormat.eventObject(event))
        data.append(0x0A)
        let input = data.withUnsafeBytes { pitstop_memory_file($0.baseAddress, $0.count) }
        guard input >= 0 else {
            failures.append((event, "cannot prepare the hook's input: \(String(cString: strerror(errno)))"))
            return
        }
        defer { close(input) }
        var pid: pid_t = 0
        let result = SupervisedExecutors.withCStrings(argv) { cArgv in
            SupervisedExecutors.withCStrings(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }) { envp in
                pitstop_spawn(cArgv, envp, nil, input, -1, &pid)
            }
        }
        guard result == 0 else {
            failures.append((event, "cannot start \(argv[0]): \(String(cString: strerror(result)))"))
            return
        }
        runningHooks.append(Running(event: event, program: argv[0], pid: pid, deadline: now.addingTimeInterval(Self.timeout)))
    }

    /// Failures since the last call.
    public func takeFailures() -> [(Event, String)] {
        defer { failures.removeAll() }
        return failures
    }
}
