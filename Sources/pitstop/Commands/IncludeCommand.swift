import ArgumentParser
import Foundation
import PitstopCore

/// `pitstop include`: bring excluded resources back (reserved again if their reservation still holds).
struct IncludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "include", abstract: "Include excluded resources again.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.include(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "include")
    }
}
