import Foundation
import PitstopCore

/// The fleet as one JSON document read with Foundation's JSONDecoder into Codable mirrors, then into the
/// domain's structs: what "JSON at rest" would cost.
enum JSONBaseline {
    struct ResourceRow: Codable {
        var id, name, status, lastMessage: String
        var scheduledAt, lastFailureAt: Date?
        var attempts, failures, progress: Int
    }

    struct TaskRow: Codable {
        var id, title, service, requirement, priority, type: String
        var recommendedAt: Date
        var deadline: Date?
        var downtime: Bool
        var retries: Int
        var maxConcurrency: Int?
        var resources: [ResourceRow]
    }

    struct EventRow: Codable {
        var sequence: UInt64
        var time: Date
        var actor, kind, message: String
        var taskID, resourceID: String?
    }

    struct Document: Codable {
        var tasks: [TaskRow]
        var events: [EventRow]
    }

    static func write(_ fleet: FleetState, to path: String) throws {
        let document = Document(
            tasks: fleet.tasks.map { t in
                TaskRow(
                    id: t.id, title: t.title, service: t.service.rawValue, requirement: t.requirement.rawValue,
                    priority: t.priority.rawValue, type: t.type.rawValue, recommendedAt: t.recommendedAt, deadline: t.deadline,
                    downtime: t.downtime, retries: t.retries, maxConcurrency: t.maxConcurrency,
                    resources: t.resources.map {
                        ResourceRow(id: $0.id, name: $0.name, status: $0.status.rawValue, lastMessage: $0.lastMessage, scheduledAt: $0.scheduledAt,
                                    lastFailureAt: $0.lastFailureAt, attempts: $0.attempts, failures: $0.failures, progress: $0.progress)
                    })
            },
            events: fleet.events.map {
                EventRow(sequence: $0.sequence, time: $0.time, actor: $0.actor, kind: $0.kind.rawValue, message: $0.message, taskID: $0.taskID, resourceID: $0.resourceID)
            })
        let data = try JSONEncoder().encode(document)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    }

    static func load(_ path: String) throws -> FleetState {
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let tasks = document.tasks.map { t in
            MaintenanceTask(
                id: t.id, title: t.title, service: Service(rawValue: t.service)!, requirement: Requirement(rawValue: t.requirement)!,
                recommendedAt: t.recommendedAt, deadline: t.deadline, priority: Priority(rawValue: t.priority)!, type: TaskType(rawValue: t.type)!,
                downtime: t.downtime, retries: t.retries, maxConcurrency: t.maxConcurrency,
                resources: t.resources.map {
                    Resource(id: $0.id, name: $0.name, scheduledAt: $0.scheduledAt, status: ResourceStatus(rawValue: $0.status)!, attempts: $0.attempts,
                             failures: $0.failures, progress: $0.progress, lastMessage: $0.lastMessage, lastFailureAt: $0.lastFailureAt)
                })
        }
        let events = document.events.map {
            Event(sequence: $0.sequence, time: $0.time, actor: $0.actor, taskID: $0.taskID, resourceID: $0.resourceID, kind: EventKind(rawValue: $0.kind), message: $0.message)
        }
        return FleetState(tasks: tasks, policy: Policy(), events: events)
    }
}
