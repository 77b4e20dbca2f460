import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop plan [TASK_ID] [--json]`: what the engine will do, from a run of the engine on a copy of the fleet.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Preview what the engine will do: expected starts and ends, holds, misses, deadline risk.",
        discussion: """
            The engine itself runs forward from now on a copy of the store with a virtual clock: concurrency limits, \
            replicas before primaries, freezes, waves and auto-apply apply as they will. Every attempt is taken to \
            last its expected length (the simulated duration, or the command's timeout) and to succeed.
            """)
    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this task.")
    var taskID: String?

    @Flag(name: .long, help: "JSON instead of a table.")
    var json = false

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForReading()
        if let taskID, store.state.task(id: taskID) == nil { throw MutationError.unknownTask(taskID) }
        let preview = try PlanPreview.simulate(store.state, now: context.now, taskID: taskID)
        if json {
            var data = ExportFormat.json(Self.object(preview))
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
            return
        }
        let time = { (date: Date?) in date.map { InstantText.short($0, in: context.zone) } ?? "-" }
        var table = Table([
            .init(title: "TASK", maxWidth: 10), .init(title: "RESOURCE", maxWidth: 28), .init(title: "RESERVED", maxWidth: 23),
            .init(title: "EXPECTED START", maxWidth: 23), .init(title: "EXPECTED END", maxWidth: 23), .init(title: "NOTE", maxWidth: 60),
        ])
        for entry in preview.entries {
            table.add([entry.taskID, entry.name, time(entry.reservedAt), time(entry.expectedStart), time(entry.expectedEnd), Self.note(entry)])
        }
        print(table.render())
        if preview.deadlineRisks.isEmpty {
            print("deadline risk: none — every mandatory task finishes before its deadline")
        }
        for risk in preview.deadlineRisks {
            print("DEADLINE RISK \(risk.taskID) (due \(time(risk.deadline))): \(risk.resourceIDs.count) resource(s) will not finish in time: \(risk.resourceIDs.prefix(8).joined(separator: ", "))\(risk.resourceIDs.count > 8 ? " …" : "")")
        }
    }

    static func note(_ entry: PlanPreview.Entry) -> String {
        switch entry.outcome {
        case .runs: return entry.reservedAt == nil ? "auto-reserved" : ""
        case .missed: return "MISSED: not started within its start window"
        case .held(let message): return "HELD: \(message)"
        case .frozen: return "FROZEN: a freeze covers its time"
        case .unscheduled: return "no reservation"
        }
    }

    static func object(_ preview: PlanPreview) -> [String: Any] {
        let iso = { (date: Date?) -> Any in date.map(InstantText.iso8601UTC) ?? NSNull() }
        let entries: [[String: Any]] = preview.entries.map { entry in
            var object: [String: Any] = [
                "taskId": entry.taskID, "resourceId": entry.resourceID, "name": entry.name, "reservedAt": iso(entry.reservedAt),
                "expectedStart": iso(entry.expectedStart), "expectedEnd": iso(entry.expectedEnd),
            ]
            switch entry.outcome {
            case .runs: object["outcome"] = "runs"
            case .missed: object["outcome"] = "missed"
            case .held(let message): object["outcome"] = "held"; object["reason"] = message
            case .frozen: object["outcome"] = "frozen"
            case .unscheduled: object["outcome"] = "unscheduled"
            }
            return object
        }
        let risks: [[String: Any]] = preview.deadlineRisks.map {
            ["taskId": $0.taskID, "deadline": InstantText.iso8601UTC($0.deadline), "resources": $0.resourceIDs]
        }
        return ["now": InstantText.iso8601UTC(preview.now), "horizon": InstantText.iso8601UTC(preview.horizon), "resources": entries, "deadlineRisk": risks]
    }
}
