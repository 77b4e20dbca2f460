import Foundation
@testable import PitstopCore

/// Fixed instants and small fleets for the rule tables.
enum Fixture {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-25 12:00 UTC
    static let now = Date(timeIntervalSince1970: 1_795_608_000)
    static func at(hours: Double) -> Date { now.addingTimeInterval(hours * 3600) }
    static func context(hours: Double = 0, actor: String = "ops@host (cli)") -> MutationContext {
        MutationContext(now: at(hours: hours), actor: actor, timeZone: utc)
    }

    static func resource(_ id: String, _ status: ResourceStatus = .pending, at: Double? = nil, failures: Int = 0, lastFailure: Double? = nil) -> Resource {
        Resource(
            id: id, name: "\(id)-name", scheduledAt: at.map(Fixture.at(hours:)), status: status, failures: failures,
            lastFailureAt: lastFailure.map(Fixture.at(hours:)))
    }

    static func task(mandatory: Bool = false, deadlineHours: Double = 240, retries: Int = 1, _ resources: [Resource]) -> MaintenanceTask {
        task("MT-0001", mandatory: mandatory, deadlineHours: deadlineHours, retries: retries, resources)
    }

    static func task(
        _ id: String, mandatory: Bool = false, deadlineHours: Double = 240, retries: Int = 1,
        _ resources: [Resource]
    ) -> MaintenanceTask {
        MaintenanceTask(
            id: id, title: "title of \(id)", service: .mysql, requirement: mandatory ? .mandatory : .recommended,
            recommendedAt: at(hours: 48), deadline: mandatory ? at(hours: deadlineHours) : nil, priority: .high,
            type: .engineUpgrade, downtime: true, retries: retries, resources: resources)
    }

    /// A state holding `tasks`, imported well before `now`.
    static func state(_ tasks: [MaintenanceTask], policy: Policy = Policy()) -> FleetState {
        var state = FleetState()
        try! state.apply(.setPolicy(policy), context: context(hours: -1000))
        try! state.apply(.importTasks(tasks), context: context(hours: -1000))
        return state
    }

    static func refusal(_ error: MutationError) -> [Refusal] {
        if case .refused(let refusals) = error { return refusals }
        return []
    }
}
