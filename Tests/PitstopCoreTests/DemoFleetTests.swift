import Foundation
import Testing
@testable import PitstopCore

struct DemoFleetTests {
    @Test func showsEveryTaskAndResourceStatus() {
        let fleet = DemoFleet().build(now: Fixture.now)
        let taskStatuses = Set(fleet.tasks.map(\.status))
        #expect(taskStatuses == Set(TaskStatus.allCases))
        let resourceStatuses = Set(fleet.tasks.flatMap(\.resources).map(\.status))
        #expect(resourceStatuses.isSuperset(of: [.pending, .reserved, .completed, .failed, .excluded]))
        #expect(fleet.tasks.contains { $0.resources.contains { $0.name.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 } } })
        #expect(Set(fleet.tasks.map(\.service)) == Set(Service.allCases) && Set(fleet.tasks.map(\.type)) == Set(TaskType.allCases))
    }

    @Test func hasReservationsDueWithinMinutes() {
        let fleet = DemoFleet().build(now: Fixture.now)
        let soon = fleet.tasks.flatMap(\.resources).filter {
            $0.status == .reserved && $0.scheduledAt! > Fixture.now && $0.scheduledAt! < Fixture.at(hours: 0.2)
        }
        #expect(soon.count >= 5)
    }

    @Test func isDeterministicForASeed() {
        let a = DemoFleet(seed: 3).build(now: Fixture.now)
        let b = DemoFleet(seed: 3).build(now: Fixture.now)
        #expect(a.tasks == b.tasks && a.events == b.events)
        #expect(DemoFleet(seed: 4).build(now: Fixture.now).tasks != a.tasks)
    }

    @Test func honoursTheRequestedSizes() {
        let fleet = DemoFleet(taskCount: 40, resourceCount: 1234).build(now: Fixture.now)
        #expect(fleet.tasks.count == 40 && fleet.tasks.reduce(0) { $0 + $1.resources.count } == 1234)
        #expect(fleet.tasks.allSatisfy { TaskValidation.problems(in: $0).isEmpty })
    }
}
