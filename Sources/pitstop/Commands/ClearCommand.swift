import ArgumentParser
import Foundation
import PitstopCore

/// `pitstop clear`: drop reservations; the resources go back to pending.
struct ClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Clear reservations (reserved → pending).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var targets: ResourceTargets

    func run() throws {
        try CLIContext(global: global).mutate(.clear(taskID: targets.taskID, resourceIDs: targets.resourceIDs), command: "clear")
    }
}
