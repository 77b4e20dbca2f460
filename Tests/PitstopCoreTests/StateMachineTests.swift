import Foundation
import Testing
@testable import PitstopCore

/// Every edge of the resource state machine, and every action refused where the spec says so.
struct StateMachineTests {
    enum Action: String, CaseIterable, Sendable {
        case reserve, clear, exclude, include, retry, start, failAttempt, complete, fail, miss

        func mutation(_ id: String) -> Mutation {
            switch self {
            case .reserve: return .reserve(taskID: "MT-0001", selection: .ids([id]), at: Fixture.at(hours: 48), stagger: nil, force: false)
            case .clear: return .clear(taskID: "MT-0001", resourceIDs: [id])
            case .exclude: return .exclude(taskID: "MT-0001", resourceIDs: [id])
            case .include: return .include(taskID: "MT-0001", resourceIDs: [id])
            case .retry: return .retry(taskID: "MT-0001", resourceIDs: [id], at: nil, force: false)
            case .start: return .start(taskID: "MT-0001", resourceID: id)
            case .failAttempt: return .failAttempt(taskID: "MT-0001", resourceID: id, message: "boom")
            case .complete: return .complete(taskID: "MT-0001", resourceID: id, message: "ok")
            case .fail: return .fail(taskID: "MT-0001", resourceID: id, message: "boom")
            case .miss: return .miss(taskID: "MT-0001", resourceID: id)
            }
        }
    }

    /// (from, action) → the status after, or nil when the action is refused.
    static let table: [(ResourceStatus, Action, ResourceStatus?)] = [
        (.pending, .reserve, .reserved), (.pending, .clear, nil), (.pending, .exclude, .excluded), (.pending, .include, nil),
        (.pending, .retry, nil), (.pending, .start, nil), (.pending, .complete, nil), (.pending, .fail, nil), (.pending, .miss, nil),
        (.reserved, .reserve, .reserved), (.reserved, .clear, .pending), (.reserved, .exclude, .excluded), (.reserved, .include, nil),
        (.reserved, .retry, nil), (.reserved, .start, .inProgress), (.reserved, .complete, nil), (.reserved, .miss, .pending),
        (.inProgress, .reserve, nil), (.inProgress, .clear, nil), (.inProgress, .exclude, nil), (.inProgress, .include, nil),
        (.inProgress, .retry, nil), (.inProgress, .start, nil), (.inProgress, .failAttempt, .inProgress),
        (.inProgress, .complete, .completed), (.inProgress, .fail, .failed), (.inProgress, .miss, nil),
        (.completed, .reserve, nil), (.completed, .clear, nil), (.completed, .exclude, nil), (.completed, .include, nil),
        (.completed, .retry, nil), (.completed, .start, nil), (.completed, .fail, nil),
        (.failed, .reserve, .reserved), (.failed, .retry, .reserved), (.failed, .exclude, .excluded), (.failed, .clear, nil),
        (.failed, .start, nil), (.failed, .include, nil),
        (.excluded, .reserve, .reserved), (.excluded, .include, .pending), (.excluded, .exclude, nil), (.excluded, .clear, nil),
        (.excluded, .start, nil), (.excluded, .retry, nil),
    ]

    @Test(arguments: table.indices)
    func transition(row: Int) {
        let (from, action, expected) = Self.table[row]
        var resource = Fixture.resource("r1", from, at: from == .reserved || from == .inProgress ? 30 : nil)
        if from == .inProgress { resource.attempts = 1 }
        var state = Fixture.state([Fixture.task([resource])])
        let before = state.tasks
        let context = Fixture.context(hours: from == .reserved && (action == .start || action == .miss) ? 30 : 0)
        do {
            try state.apply(action.mutation("r1"), context: context)
            #expect(expected != nil, "\(from) --\(action)--> should be refused")
            #expect(state.task(id: "MT-0001")!.resources[0].status == expected)
        } catch {
            #expect(expected == nil, "\(from) --\(action)--> refused: \(error)")
            #expect(state.tasks == before, "a refused action changes nothing")
        }
    }

    @Test func inProgressRefusalSaysWhy() {
        var resource = Fixture.resource("r1", .inProgress, at: 1)
        resource.attempts = 1
        let state = Fixture.state([Fixture.task([resource])])
        #expect(throws: MutationError.refused([
            Refusal(taskID: "MT-0001", resourceID: "r1", rule: .state,
                    message: "r1-name: is in progress and cannot be rescheduled until the execution ends", resourceName: "r1-name")
        ])) {
            try state.plan(Action.reserve.mutation("r1"), context: Fixture.context())
        }
    }

    @Test func includeKeepsAFutureReservationThatStillPasses() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("r1", .reserved, at: 48)])])
        try state.apply(Action.exclude.mutation("r1"), context: Fixture.context())
        #expect(state.task(id: "MT-0001")!.resources[0].scheduledAt == Fixture.at(hours: 48))
        try state.apply(Action.include.mutation("r1"), context: Fixture.context())
        #expect(state.task(id: "MT-0001")!.resources[0].status == .reserved)
    }

    @Test func includeDropsAReservationThatNoLongerPasses() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("r1", .reserved, at: 48)])])
        try state.apply(Action.exclude.mutation("r1"), context: Fixture.context())
        let plan = try state.apply(Action.include.mutation("r1"), context: Fixture.context(hours: 40))
        let r = state.task(id: "MT-0001")!.resources[0]
        #expect(r.status == .pending && r.scheduledAt == nil)
        #expect(plan.events[0].message.contains("was dropped"))
    }

    @Test func attemptsCountUpAndFailuresLockOut() throws {
        var state = Fixture.state([Fixture.task(retries: 1, [Fixture.resource("r1", .reserved, at: 30, failures: 2)])])
        try state.apply(.start(taskID: "MT-0001", resourceID: "r1"), context: Fixture.context(hours: 30))
        try state.apply(Action.failAttempt.mutation("r1"), context: Fixture.context(hours: 30))
        #expect(state.task(id: "MT-0001")!.resources[0].attempts == 2)
        #expect(throws: MutationError.self) { try state.plan(Action.failAttempt.mutation("r1"), context: Fixture.context(hours: 30)) }
        let plan = try state.apply(Action.fail.mutation("r1"), context: Fixture.context(hours: 30))
        #expect(plan.events.map(\.kind) == [.failed, .lockedOut])
        let r = state.task(id: "MT-0001")!.resources[0]
        #expect(r.failures == 3 && r.lastFailureAt == Fixture.at(hours: 30))
    }
}

/// Several starts in one write: all or none.
struct StartAllTests {
    @Test func startsEveryResourceOrNone() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("a", .reserved, at: 30), Fixture.resource("b", .reserved, at: 30), Fixture.resource("c")])])
        let refs = ["a", "b"].map { ResourceRef(taskID: "MT-0001", resourceID: $0) }
        let plan = try state.apply(.startAll(refs), context: Fixture.context(hours: 30))
        #expect(plan.events.map(\.kind) == [.started, .started])
        #expect(state.task(id: "MT-0001")!.resources.prefix(2).allSatisfy { $0.status == .inProgress })
        let before = state.tasks
        #expect(throws: MutationError.self) {
            try state.apply(.startAll([ResourceRef(taskID: "MT-0001", resourceID: "c")]), context: Fixture.context(hours: 30))
        }
        #expect(state.tasks == before)
    }
}
