import Foundation
import PitstopCore

/// The task list and the resource list as text tables.
enum TaskTable {
    static func statusText(_ task: MaintenanceTask) -> String { statusText(StatusCounts(task.resources)) }

    static func statusText(_ counts: StatusCounts) -> String {
        let status = TaskStatus(counts: counts)
        switch status {
        case .inProgress: return "in progress (\(counts.completed) done, \(counts.failed) failed)"
        case .pending: return "pending [reservation required]"
        default: return status.label
        }
    }

    /// Tasks as heads (their resources left out) with their summaries.
    static func render(_ tasks: [(head: MaintenanceTask, summary: TaskSummary)], now: Date, zone: TimeZone) -> String {
        var table = Table([
            .init(title: "ID"), .init(title: "STATUS"), .init(title: "PRIORITY"), .init(title: "REQUIREMENT"),
            .init(title: "SERVICE"), .init(title: "TYPE"), .init(title: "DOWNTIME"), .init(title: "RESOURCES", alignRight: true),
            .init(title: "TITLE"),
        ])
        for (task, summary) in tasks {
            let requirement = task.deadline.map { "mandatory, due \(InstantText.short($0, in: zone))" } ?? "recommended"
            table.add([
                task.id, statusText(summary.counts), task.priority.rawValue, requirement, task.service.rawValue, task.type.rawValue,
                task.downtime ? "downtime" : "-", String(summary.resourceCount), task.title,
            ])
        }
        return table.render()
    }

    static func renderResources(_ task: MaintenanceTask, zone: TimeZone) -> String {
        var table = Table([
            .init(title: "RESOURCE"), .init(title: "NAME", maxWidth: 40), .init(title: "SCHEDULE"), .init(title: "STATUS"),
            .init(title: "ATTEMPT", alignRight: true), .init(title: "FAILURES", alignRight: true), .init(title: "LAST MESSAGE"),
        ])
        for r in task.resources {
            let status = r.status == .inProgress ? "in-progress \(r.progress)%" : r.status.rawValue
            table.add([
                r.id, r.name, r.scheduledAt.map { InstantText.short($0, in: zone) } ?? "-", status,
                r.attempts == 0 ? "-" : String(r.attempts), String(r.failures), r.lastMessage,
            ])
        }
        return table.render()
    }
}
