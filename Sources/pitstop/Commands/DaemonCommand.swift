import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop daemon`: the engine alone, in the foreground, logging events to stderr.
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon", abstract: "Run the engine: start reservations when due, retry, notify. Logs to stderr.",
        discussion: """
            Only one engine runs per store. Every attempt runs under a supervisor of its own, so on SIGINT or \
            SIGTERM (or SIGKILL) the daemon stops at once and running attempts go on; the next engine on this \
            store, a daemon or a console, follows them and records how they end. `pitstop cancel` stops an attempt.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Start what is due now, wait for those attempts to finish, and exit.")
    var once = false

    @Option(name: .long, parsing: .unconditional, help: "Seconds between engine ticks.")
    var interval: Double = 0.5

    @Option(name: .long, help: "Serve Prometheus metrics at http://ADDR:PORT/metrics (a port alone: 127.0.0.1).")
    var metrics: String?

    func validate() throws {
        guard interval >= 0.05 && interval <= 60 else { throw ValidationError("--interval must be between 0.05 and 60 seconds") }
    }

    func run() throws {
        // The address first: a daemon that cannot serve what it was asked to starts nothing.
        let server = try metrics.map { try MetricsServer($0) }
        defer { server?.stop() }
        let context = CLIContext(global: global)
        let store = try context.openForWriting(command: "daemon")
        let lock = try EngineLock(storeDirectory: store.directory)
        let stderr = FileHandle.standardError
        func say(_ line: String) { stderr.write(Data((line + "\n").utf8)) }
        let engine = Engine(store: store, zone: context.zone) { say($0) }
        let signals = SignalFlag([SIGINT, SIGTERM, SIGHUP])
        if once { engine.startCutoff = Date() }
        say("pitstop daemon: engine running on \(store.directory) (pid \(getpid()))\(once ? ", once" : "")")
        let logChecked = checkEventLog(store.state.events.archive)
        var waitingSince: Date?
        if let server { say("pitstop daemon: metrics at http://\(server.address)/metrics") }
        var lastPublished = Date.distantPast
        // At most once a second: the text is made on the loop's thread from its own state, then only served.
        let publish = {
            guard let server, Date().timeIntervalSince(lastPublished) >= 1 else { return }
            lastPublished = Date()
            server.publish(MetricsText.render(engine.store.state, running: engine.runningCount, counters: engine.counters, leads: !engine.isStandby))
        }
        try EngineLoop(engine: engine, interval: interval, untilIdle: once).run(shouldStop: { signals.received != nil }, afterTick: publish) { status in
            switch status {
            case .waiting(_, let reason):
                waitingSince = Date()
                say("pitstop daemon: a store write failed: \(reason); running attempts continue and their results are written when the store takes writes again")
            case .running:
                if let since = waitingSince {
                    say("pitstop daemon: the store takes writes again (refused for \(Int(Date().timeIntervalSince(since)))s)")
                    waitingSince = nil
                }
            }
        }
        if let number = signals.received { say("pitstop daemon: signal \(number)") }
        let left = engine.runningCount
        say("pitstop daemon: stopped\(left > 0 ? "; \(left) attempt(s) keep running under their supervisors, and the next engine records them" : "")")
        // A daemon that stops at once (--once, a signal) still says what the check found.
        logChecked.wait()
        withExtendedLifetime(lock) {}
    }

    /// The log's sealed records are checked when read; a daemon checks them all as it starts, off its loop,
    /// and says loudly what it finds (the store stays open: the tasks are intact, and what cannot be read says
    /// so where it is shown).
    /// Signalled when the check is done.
    private func checkEventLog(_ archive: (any EventArchive)?) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        guard let archive else {
            done.signal()
            return done
        }
        Thread.detachNewThread {
            for line in archive.verifyAll() {
                FileHandle.standardError.write(Data("pitstop daemon: ERROR: the event log is damaged: \(line)\n".utf8))
            }
            done.signal()
        }
        return done
    }
}
