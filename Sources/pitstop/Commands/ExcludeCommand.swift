import ArgumentParser
import Foundation
import PitstopCore

/// `pitstop exclude`: take resources out of a task's targets.
struct ExcludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exclude", abstract: "Exclude resources from a task.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.exclude(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "exclude")
    }
}
