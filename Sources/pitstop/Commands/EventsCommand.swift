import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop events`: the audit log.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List the audit log, oldest first.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Only events of this task.", valueName: "id"))
    var task: String?

    @Option(name: .long, help: ArgumentHelp("Only events about this resource (machine), in any task.", valueName: "id"))
    var resource: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Only the last N events.", valueName: "n"))
    var last: Int?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        if let last, last < 0 { throw ValidationError("--last must be 0 or more (the newest N events)") }
    }

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForReading()
        if let task, store.state.task(id: task) == nil { throw MutationError.unknownTask(task) }
        if let resource, store.state.placements(ofMachine: resource).isEmpty {
            throw CLIError("no task holds a resource \(resource)")
        }
        // Through the log's index by task or resource, and reading only the newest when that is all that is
        // asked for: older events stay on disk until needed.
        let log = store.state.events
        var events: [Event]
        switch (task, resource) {
        case let (task?, resource?): events = log.events(ofTask: task).filter { $0.resourceID == resource }
        case let (task?, nil): events = log.events(ofTask: task)
        case let (nil, resource?): events = log.events(ofResource: resource)
        case (nil, nil): events = last.map { Array(log.suffix(max(0, $0))) } ?? Array(log)
        }
        if let last { events = Array(events.suffix(max(0, last))) }
        if json {
            var data = ExportFormat.json(["events": events.map(ExportFormat.eventObject)])
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        } else {
            var output = ""
            for event in events {
                output += EventText.line(event, zone: context.zone)
                output += "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        // Sealed records are checked as they are read: damage met here is said on stderr and fails the command,
        // besides the `unreadable` lines that stand in for the events it hides.
        if let damage = log.archive?.damage, !damage.isEmpty {
            throw CLIError("the event log is damaged: " + damage.joined(separator: "; "))
        }
    }
}
