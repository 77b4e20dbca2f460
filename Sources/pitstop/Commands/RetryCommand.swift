import ArgumentParser
import Foundation
import PitstopCore

/// `pitstop retry`: reserve failed resources again.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Reserve failed resources again (default: the earliest time policy allows).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    @Option(name: .long, help: ArgumentHelp("When to run again (default: now + minLeadTime).", valueName: "time"))
    var at: String?

    @Flag(name: .long, help: "Retry even a resource locked out after repeated failures.")
    var force = false

    func run() throws {
        let context = CLIContext(global: global)
        let when = try at.map(context.parseTime)
        try context.mutate(.retry(taskID: targets.taskID, resourceIDs: targets.resourceIDs, at: when, force: force), command: "retry")
    }
}
