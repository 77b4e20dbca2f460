import Foundation
@testable import PitstopCore
import Testing

/// `Mutation.recoverOutcome`: only an "outcome unknown" failure of that very attempt is replaced.
struct OutcomeRecoveryTests {
    static func state() throws -> FleetState {
        var state = Fixture.state([Fixture.task([Fixture.resource("r", .reserved, at: 1)])])
        try state.apply(.start(taskID: "MT-0001", resourceID: "r"), context: Fixture.context(hours: 1))
        try state.apply(.outcomeUnknown(taskID: "MT-0001", resourceID: "r", attempt: try #require(state.task(id: "MT-0001")?.resources[0].attemptID)),
                        context: Fixture.context(hours: 1.1))
        return state
    }

    @Test func aSuccessCompletesTheResourceAndTakesItsFailureBack() throws {
        var state = try Self.state()
        let before = try #require(state.task(id: "MT-0001")?.resources[0])
        #expect(before.status == .failed && before.failures == 1)
        let plan = try state.apply(.recoverOutcome(taskID: "MT-0001", resourceID: "r", attempt: before.attemptID!, success: true, message: "upgrade finished"),
                                   context: Fixture.context(hours: 1.2))
        let after = try #require(state.task(id: "MT-0001")?.resources[0])
        #expect(after.status == .completed && after.failures == 0 && after.lastMessage == "upgrade finished")
        #expect(plan.events.map(\.kind) == [.outcomeRecovered])
        // Once is all: the outcome is no longer unknown.
        #expect(throws: MutationError.self) {
            try state.apply(.recoverOutcome(taskID: "MT-0001", resourceID: "r", attempt: before.attemptID!, success: true, message: "again"), context: Fixture.context(hours: 1.3))
        }
    }

    @Test func anotherAttemptOrAnOrdinaryFailureIsNotReplaced() throws {
        var state = try Self.state()
        let attempt = try #require(state.task(id: "MT-0001")?.resources[0].attemptID)
        #expect(throws: MutationError.self) {
            try state.apply(.recoverOutcome(taskID: "MT-0001", resourceID: "r", attempt: attempt + 1, success: true, message: "x"), context: Fixture.context(hours: 1.2))
        }
        try state.apply(.recoverOutcome(taskID: "MT-0001", resourceID: "r", attempt: attempt, success: false, message: "exit status 3: disk full"), context: Fixture.context(hours: 1.2))
        let after = try #require(state.task(id: "MT-0001")?.resources[0])
        #expect(after.status == .failed && after.failures == 1 && after.lastMessage == "exit status 3: disk full")
    }
}
