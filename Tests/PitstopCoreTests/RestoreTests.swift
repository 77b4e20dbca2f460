import Foundation
@testable import PitstopCore
import Testing

/// `Mutation.restore`, the undo's door: what it puts back, the rules a restored reservation must pass now, and
/// the states it refuses.
struct RestoreTests {
    @Test func aClearedReservationComesBackAtItsTimeAndTheLogSaysWhatItUndoes() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("db-1", .reserved, at: 30)])])
        try state.apply(.clear(taskID: "MT-0001", resourceIDs: ["db-1"]), context: Fixture.context())
        let cleared = try #require(state.events.last)
        try state.apply(.restore(taskID: "MT-0001", resources: [RestoredResource(resourceID: "db-1", status: .reserved, scheduledAt: Fixture.at(hours: 30), attempts: 0, progress: 0)],
                                 undoing: cleared.sequence, what: "cleared 1 reservation"), context: Fixture.context())
        let db1 = try #require(state.task(id: "MT-0001")?.resource(id: "db-1"))
        #expect(db1.status == .reserved && db1.scheduledAt == Fixture.at(hours: 30))
        let undone = try #require(state.events.last)
        #expect(undone.kind == .undone && undone.message.hasPrefix("undo of #\(cleared.sequence) (cleared 1 reservation): db-1-name pending → reserved for"))
    }

    @Test func aReservationPutBackMustStillPassTheRulesNow() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("db-1", .reserved, at: 30)])])
        try state.apply(.clear(taskID: "MT-0001", resourceIDs: ["db-1"]), context: Fixture.context())
        let back = Mutation.restore(taskID: "MT-0001", resources: [RestoredResource(resourceID: "db-1", status: .reserved, scheduledAt: Fixture.at(hours: 30), attempts: 0, progress: 0)],
                                    undoing: 1, what: "cleared")
        // Twenty-nine hours later the old time is within the 24h lead time: refused, nothing changes.
        #expect(throws: MutationError.self) { try state.apply(back, context: Fixture.context(hours: 29)) }
        #expect(state.task(id: "MT-0001")?.resource(id: "db-1")?.status == .pending)
    }

    @Test func aRunningResourceIsNotPutBack() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("db-1", .reserved, at: 30)])])
        try state.apply(.start(taskID: "MT-0001", resourceID: "db-1"), context: Fixture.context(hours: 30))
        let back = Mutation.restore(taskID: "MT-0001", resources: [RestoredResource(resourceID: "db-1", status: .pending, scheduledAt: nil, attempts: 0, progress: 0)],
                                    undoing: 1, what: "reserved")
        #expect(throws: MutationError.self) { try state.apply(back, context: Fixture.context(hours: 30)) }
    }
}
