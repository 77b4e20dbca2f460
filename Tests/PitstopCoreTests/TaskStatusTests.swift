import Testing
@testable import PitstopCore

/// The spec's ordered aggregation rules, as a table: every mixed case, excluded resources included.
struct TaskStatusTests {
    typealias S = ResourceStatus

    @Test(arguments: [
        ([], TaskStatus.excluded),
        ([S.excluded], .excluded),
        ([.excluded, .excluded], .excluded),
        ([.completed], .completed),
        ([.completed, .excluded], .completed),
        ([.failed], .failed),
        ([.failed, .excluded, .failed], .failed),
        ([.inProgress], .inProgress),
        ([.completed, .failed], .inProgress),
        ([.completed, .pending], .inProgress),
        ([.failed, .reserved], .inProgress),
        ([.inProgress, .pending, .excluded], .inProgress),
        ([.completed, .reserved], .inProgress),
        ([.pending], .pending),
        ([.pending, .reserved], .pending),
        ([.pending, .excluded], .pending),
        ([.reserved], .reserved),
        ([.reserved, .excluded], .reserved),
        ([.reserved, .reserved, .excluded, .excluded], .reserved),
    ] as [([ResourceStatus], TaskStatus)])
    func aggregatesByTheFirstMatchingRule(statuses: [ResourceStatus], expected: TaskStatus) {
        let resources = statuses.enumerated().map { Resource(id: "r\($0.offset)", name: "r", status: $0.element) }
        #expect(TaskStatus(aggregating: resources) == expected)
    }

    @Test func colourClassesFollowTheSeed() {
        #expect(ResourceStatus.pending.colorClass == .gray)
        #expect(ResourceStatus.excluded.colorClass == .gray)
        #expect(ResourceStatus.reserved.colorClass == .green)
        #expect(ResourceStatus.inProgress.colorClass == .green)
        #expect(ResourceStatus.completed.colorClass == .green)
        #expect(ResourceStatus.failed.colorClass == .red)
        #expect(TaskStatus.failed.colorClass == .red)
        #expect(TaskStatus.excluded.colorClass == .gray)
    }

    @Test func countsEveryStatus() {
        let counts = StatusCounts([.pending, .pending, .failed, .excluded].map { Resource(id: "x", name: "x", status: $0) })
        #expect(counts.pending == 2 && counts.failed == 1 && counts.excluded == 1 && counts.included == 3 && counts.total == 4)
    }
}
