import ArgumentParser
import Foundation
import PitstopCore
import PitstopText
import PitstopStore

/// `pitstop task ID`: one task and its resources.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Show one task and its resources.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The task id, e.g. MT-0001.")
    var taskID: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForReading()
        guard let task = store.state.task(id: taskID) else { throw MutationError.unknownTask(taskID) }
        if json {
            var data = ExportFormat.json(ExportFormat.object(task))
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
            return
        }
        let zone = context.zone
        var lines = [
            "\(task.id)  \(task.title)",
            "status       \(TaskTable.statusText(task))",
            "service      \(task.service.rawValue), \(task.type.label)\(task.downtime ? ", DOWNTIME" : ", no downtime")",
            "requirement  \(task.requirement.rawValue)\(task.deadline.map { ", deadline \(InstantText.short($0, in: zone))" } ?? "")",
            "recommended  \(InstantText.short(task.recommendedAt, in: zone))",
            "priority     \(task.priority.rawValue)",
        ]
        switch task.executor {
        case .simulated(let s):
            lines.append("executor     SIM simulated, ~\(Int(s.durationSeconds))s, failure rate \(s.failureRate)")
            if let runbook = task.parameters[DemoFleet.realRunbookParameter] {
                lines.append("             a real task names runbook \(runbook) (examples/runbooks/; docs/runbooks.md)")
            }
        case .command(let c):
            let what = c.runbook.map { "runbook \($0) (STORE/runbooks/\($0))" } ?? "command \(c.argv.joined(separator: " "))"
            lines.append("executor     \(what) (timeout \(DurationText.format(c.timeoutSeconds)))")
        }
        if !task.parameters.isEmpty {
            lines.append("parameters   " + task.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        lines.append("retries      \(task.retries)\(task.maxConcurrency.map { ", at most \($0) at once" } ?? "")")
        print(lines.map(DisplayWidth.sanitized).joined(separator: "\n"))
        print("")
        print(TaskTable.renderResources(task, zone: zone))
    }
}
