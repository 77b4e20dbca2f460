import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop cancel TASK RESOURCE…`: stop running attempts through their supervisors.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Stop running attempts: SIGTERM to the command's process group, SIGKILL after 5s.",
        discussion: """
            The resource becomes failed with "cancelled by USER" and is not retried. The supervisor records the \
            cancellation; the engine (a daemon or a console) writes it to the store.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for each attempt to stop (0: do not wait).")
    var wait: Double = 15

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait must be 0 seconds (do not wait) or more") }
    }

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForWriting(command: "cancel")
        let files = AttemptFiles(storeDirectory: store.directory)
        var failed = false
        var accepted = false
        for resourceID in targets.resourceIDs {
            let what = "\(targets.taskID)/\(resourceID)"
            do {
                let outcome = try AttemptCanceller.cancel(store: store, taskID: targets.taskID, resourceID: resourceID, actor: context.actor, now: context.now, zone: context.zone)
                accepted = true
                switch outcome {
                case .recorded(let id):
                    print("\(what): attempt \(id) was not running; recorded as cancelled")
                case .alreadyEnded(let id):
                    print("\(what): attempt \(id) had already ended; the engine records how")
                case .signalled(let id, let pid):
                    print("\(what): attempt \(id): its supervisor (pid \(pid)) is stopping the command")
                    if wait > 0 { report(stopOf: id, files: files) }
                }
            } catch let refusal as AttemptCanceller.Refusal {
                FileHandle.standardError.write(Data("error: \(EventText.sanitized(refusal.description))\n".utf8))
                failed = true
            }
        }
        // Only about a cancellation that went somewhere: after "no resource nosuch" it would say nothing useful.
        if accepted && EngineLock.holder(storeDirectory: store.directory) == nil {
            FileHandle.standardError.write(Data("note: no engine runs on this store; the outcome is recorded when one starts (pitstop daemon, or the console)\n".utf8))
        }
        if failed { throw ExitCode.failure }
    }

    private func report(stopOf attemptID: UInt64, files: AttemptFiles) {
        let deadline = Date().addingTimeInterval(wait)
        while Date() < deadline {
            if let end = AttemptRecord.read(files.record(attemptID))?.end {
                if case .signalled(let signal, _) = end {
                    print("  stopped (signal \(signal))")
                } else {
                    print("  stopped")
                }
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        print("  still stopping after \(Int(wait))s; see `pitstop output` for its last lines")
    }
}
