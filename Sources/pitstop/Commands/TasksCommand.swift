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
        let all = store.state.tasks
        // The status comes from each task's summary: only JSON, which prints every resource, decodes tasks whole.
        let chosen = all.indices.filter { filter == nil || all.summary(at: $0).status == filter }.sorted { all.id(at: $0) < all.id(at: $1) }
        if json {
            FileHandle.standardOutput.write(ExportFormat.json(tasks: chosen.map { all[$0] }))
        } else if chosen.isEmpty {
            print(all.isEmpty ? "no tasks in \(store.directory); import some with `pitstop import FILE` or try `pitstop demo`" : "no tasks in status \(status ?? "")")
        } else {
            print(TaskTable.render(chosen.map { (all.head(at: $0), all.summary(at: $0)) }, now: context.now, zone: context.zone))
        }
    }
}
