import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop tasks`: the task list, as a table or JSON.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List tasks with their status.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON (statuses as in the spec, instants in UTC).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Only tasks in this status: \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "status"))
    var status: String?

    func run() throws {
        let context = CLIContext(global: global)
        var filter: TaskStatus?
        if let status {
            guard let parsed = TaskStatus(rawValue: status) else {
                throw CLIError("unknown status \"\(status)\"; use one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter = parsed
        }
        let store = try context.openForReading()
        let tasks = store.state.tasks.filter { filter == nil || $0.status == filter }.sorted { $0.id < $1.id }
        if json {
            FileHandle.standardOutput.write(ExportFormat.json(tasks: tasks))
        } else if tasks.isEmpty {
            print(store.state.tasks.isEmpty ? "no tasks in \(store.directory); import some with `pitstop import FILE` or try `pitstop demo`" : "no tasks in status \(status ?? "")")
        } else {
            print(TaskTable.render(tasks, now: context.now, zone: context.zone))
        }
    }
}
