import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop demo`: fill a store with a realistic, seeded fleet.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo fleet: MySQL and PostgreSQL tasks in every state, some due within seconds.",
        discussion: "Refuses a store that already holds tasks unless --force is given; the old contents then stay in the backup snapshot.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, parsing: .unconditional, help: "Number of tasks.")
    var tasks = 16

    @Option(name: .long, parsing: .unconditional, help: "Number of resources across all tasks.")
    var resources = 240

    @Option(name: .long, help: "Seed: the same seed gives the same fleet.")
    var seed: UInt64 = 42

    @Flag(name: .long, help: "Replace a store that already holds tasks.")
    var force = false

    func validate() throws {
        guard (1...100_000).contains(tasks) else { throw ValidationError("--tasks must be from 1 to 100000") }
        guard (tasks...5_000_000).contains(resources) else { throw ValidationError("--resources must be from --tasks (\(tasks)) to 5000000") }
    }

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForWriting(command: "demo", create: true)
        if !store.state.tasks.isEmpty && !force {
            throw CLIError("\(store.directory) already holds \(store.state.tasks.count) tasks; pass --force to replace them (they stay in the backup)")
        }
        // Attempts belong to the fleet being replaced: none may still run, and their files go with it (a new
        // fleet numbers its attempts afresh).
        let files = AttemptFiles(storeDirectory: store.directory)
        let live = store.state.tasks.flatMap { $0.resources.compactMap { $0.status == .inProgress ? $0.attemptID : nil } }
            .filter { AttemptFiles.isLocked(files.record($0)) }
        if !live.isEmpty {
            throw CLIError("\(live.count) attempt(s) of the current fleet still run (ids \(live.prefix(5).map(String.init).joined(separator: ", "))); wait for them or `pitstop cancel` them first")
        }
        let fleet = DemoFleet(taskCount: tasks, resourceCount: resources, seed: seed).build(now: context.now)
        try store.replaceAll(with: fleet, now: context.now)
        AttemptRetention.prune(files, olderThan: Date.distantFuture, keeping: [])
        let counts = fleet.tasks.reduce(into: [TaskStatus: Int]()) { $0[$1.status, default: 0] += 1 }
        let summary = TaskStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.label)" } }.joined(separator: ", ")
        print("demo fleet in \(store.directory): \(fleet.tasks.count) tasks (\(summary)), \(resources) resources, \(fleet.events.count) events")
    }
}
