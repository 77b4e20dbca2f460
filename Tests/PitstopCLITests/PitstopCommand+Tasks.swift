import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the end-to-end suites ask of a store through the command line, read from its JSON.
extension PitstopCommand {
    /// Imports `tasks` (JSON objects) through a file in `directory`; records the error when refused.
    func importTasks(_ tasks: [[String: Any]], via directory: ScratchDirectory) throws {
        let file = directory.file("tasks-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: ["tasks": tasks]).write(to: URL(fileURLWithPath: file))
        let result = try run(["import", file])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The resources of `taskID` by id, as `task --json` prints them.
    func resources(of taskID: String) throws -> [String: [String: Any]] {
        let json = try run(["task", taskID, "--json"]).stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let list = object?["resources"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "?", $0) })
    }

    /// The events of `kind` about `resourceID` in `taskID`, oldest first.
    func events(of taskID: String, _ resourceID: String, kind: String) throws -> [[String: Any]] {
        let json = try run(["events", "--task", taskID, "--json"]).stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == kind && $0["resourceId"] as? String == resourceID }
    }
}

/// Kills a daemon the test started, if it still runs, and reaps it.
func killDaemon(_ daemon: Process) {
    if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }
    daemon.waitUntilExit()
}
