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
            Only one engine runs per store. On SIGINT or SIGTERM it starts nothing new, lets running executions \
            finish for up to --grace seconds, records the rest as interrupted (failed), and exits.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Start what is due now, wait for those executions to finish, and exit.")
    var once = false

    @Option(name: .long, help: "Seconds between engine ticks.")
    var interval: Double = 0.5

    @Option(name: .long, help: "Seconds running executions may take to finish after a stop signal.")
    var grace: Double = 30

    func validate() throws {
        guard interval >= 0.05 && interval <= 60 else { throw ValidationError("--interval must be between 0.05 and 60 seconds") }
        guard grace >= 0 else { throw ValidationError("--grace must be 0 or more") }
    }

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForWriting(command: "daemon")
        let lock = try EngineLock(storeDirectory: store.directory)
        let stderr = FileHandle.standardError
        let engine = Engine(store: store, executors: StandardExecutors(storeDirectory: store.directory), zone: context.zone) {
            stderr.write(Data(($0 + "\n").utf8))
        }
        let signals = SignalFlag()
        if once { engine.startCutoff = Date() }
        stderr.write(Data("pitstop daemon: engine running on \(store.directory) (pid \(getpid()))\(once ? ", once" : "")\n".utf8))
        try engine.start()
        var stopAt: Date?
        var failingSince: Date?
        while true {
            do {
                try engine.tick()
                store.returnFreedMemory()
                if let since = failingSince {
                    stderr.write(Data("pitstop daemon: the store takes writes again (refused for \(Int(Date().timeIntervalSince(since)))s)\n".utf8))
                    failingSince = nil
                }
            } catch where Engine.canRetry(after: error) {
                // Keep the executions running and their outcomes in hand; say so once, then retry each second.
                if failingSince == nil {
                    stderr.write(Data("pitstop daemon: a store write failed: \(error); running executions continue and their results are written when the store takes writes again\n".utf8))
                    failingSince = Date()
                }
                Thread.sleep(forTimeInterval: max(interval, 1))
                continue
            }
            if let number = signals.received, stopAt == nil {
                stderr.write(Data("pitstop daemon: signal \(number): starting nothing new; \(engine.runningCount) execution(s) get \(Int(grace))s to finish\n".utf8))
                engine.stopAccepting()
                stopAt = Date().addingTimeInterval(grace)
            }
            if engine.isIdle && (once || stopAt != nil) { break }
            if let stopAt, Date() >= stopAt {
                try engine.interruptRunning()
                try engine.tick()
                break
            }
            Thread.sleep(forTimeInterval: interval)
        }
        stderr.write(Data("pitstop daemon: stopped\n".utf8))
        withExtendedLifetime(lock) {}
    }
}

/// `pitstop resume TASK`: let a halted task go on.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a task the engine halted at maxFailures.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The task id.")
    var taskID: String

    func run() throws {
        try CLIContext(global: global).mutate(.resume(taskID: taskID), command: "resume")
    }
}
