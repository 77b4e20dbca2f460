import ArgumentParser
import Foundation
import PitstopCore

/// A task id followed by one or more resource ids.
struct ResourceTargets: ParsableArguments {
    @Argument(help: "The task id.")
    var taskID: String

    @Argument(help: ArgumentHelp("One or more resource ids.", valueName: "resource-id"))
    var resourceIDs: [String] = []

    func validate() throws {
        if resourceIDs.isEmpty { throw ValidationError("name at least one resource id") }
    }
}
