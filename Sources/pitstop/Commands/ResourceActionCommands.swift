import ArgumentParser
import Foundation
import PitstopCore

/// A task id followed by one or more resource ids.
struct ResourceTargets: ParsableArguments {
    @Argument(help: "The task id.")
    var taskID: String

    @Argument(help: "One or more resource ids.")
    var resourceIDs: [String] = []

    func validate() throws {
        if resourceIDs.isEmpty { throw ValidationError("name at least one resource id") }
    }
}

/// `pitstop clear`: drop reservations; the resources go back to pending.
struct ClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Clear reservations (reserved → pending).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.clear(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "clear")
    }
}

/// `pitstop exclude`: take resources out of a task's targets.
struct ExcludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exclude", abstract: "Exclude resources from a task.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.exclude(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "exclude")
    }
}

/// `pitstop include`: bring excluded resources back (reserved again if their reservation still holds).
struct IncludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "include", abstract: "Include excluded resources again.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.include(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "include")
    }
}

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
