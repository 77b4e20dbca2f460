import Foundation
import Testing
@testable import PitstopCore

/// Waves as tables: their boundaries for small and large fleets, the error budget as a count and a share,
/// the layout of `reserve --waves`, and import and export of the fields.
struct WaveTests {
    static let canary: [WaveSize] = [.count(1), .percent(10), .percent(50), .percent(100)]

    @Test(arguments: [
        (1, [1]), (2, [1, 1]), (3, [1, 1, 1]), (5, [1, 1, 1, 2]), (10, [1, 1, 3, 5]), (20, [1, 1, 8, 10]),
        (100, [1, 9, 40, 50]), (1000, [1, 99, 400, 500]),
    ])
    func waveBoundaries(total: Int, sizes: [Int]) {
        let waves = Waves(ordered: (0..<total).map { "r\($0)" }, sizes: Self.canary)
        #expect(waves.members.map(\.count) == sizes)
        #expect(waves.members.flatMap { $0 } == (0..<total).map { "r\($0)" }, "every resource once, in order")
    }

    @Test func sizesThatStopShortLeaveTheRestToALastWave() {
        let waves = Waves(ordered: (0..<10).map { "r\($0)" }, sizes: [.count(2), .count(5)])
        #expect(waves.members.map(\.count) == [2, 3, 5])
    }

    @Test(arguments: [(10, nil, 10.0, 1), (10, nil, 25.0, 3), (40, nil, 10.0, 4), (7, 2, nil, 2), (3, nil, 100.0, 3)] as [(Int, Int?, Double?, Int)])
    func failureBudget(resources: Int, count: Int?, percent: Double?, limit: Int) {
        var task = Fixture.task((0..<resources).map { Fixture.resource("r\($0)") })
        task.maxFailures = count
        task.maxFailuresPercent = percent
        #expect(task.failureLimit == limit)
    }

    @Test func reserveInWavesLaysWavesOutWithTheSoakBetweenThem() throws {
        var task = Fixture.task((0..<5).map { Fixture.resource("r\($0)") })
        task.waves = [.count(1), .count(3)]
        task.soak = 1800
        task.executor = .simulated(SimulatedExecutor(durationSeconds: 600, jitter: 0))
        var state = Fixture.state([task])
        _ = try state.apply(
            .reserveInWaves(taskID: "MT-0001", selection: .allPending, at: Fixture.at(hours: 30), stagger: Stagger(spacing: 300), force: false),
            context: Fixture.context())
        let at = Dictionary(uniqueKeysWithValues: state.task(id: "MT-0001")!.resources.map { ($0.id, $0.scheduledAt!.timeIntervalSince(Fixture.at(hours: 30)) / 60) })
        // Wave 1: r0 at 0. Wave 2 (r1, r2) from 0 + 10 (a run) + 30 (soak) = 40, 5 minutes apart; wave 3 from 45 + 40.
        #expect(at == ["r0": 0, "r1": 40, "r2": 45, "r3": 85, "r4": 90])
        let waves = Waves(state.task(id: "MT-0001")!)
        #expect(waves.members == [["r0"], ["r1", "r2"], ["r3", "r4"]])
    }

    @Test func wavesSoakAndAShareOfFailuresSurviveExportAndImport() throws {
        let document = """
            {"tasks": [{"id": "T", "title": "t", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
              "type": "os-update", "waves": [1, "10%", "50%", "100%"], "soak": "30m", "maxFailures": "10%",
              "resources": [{"id": "a", "name": "a"}]}]}
            """
        let tasks = try ImportFormat.parse(Data(document.utf8))
        #expect(tasks[0].waves == Self.canary && tasks[0].soak == 1800 && tasks[0].maxFailuresPercent == 10 && tasks[0].maxFailures == nil)
        #expect(try ImportFormat.parse(ExportFormat.json(tasks: tasks)) == tasks)
        let bad = document.replacingOccurrences(of: #""waves": [1, "10%", "50%", "100%"]"#, with: #""waves": [1, "ten"]"#)
            .replacingOccurrences(of: #""maxFailures": "10%""#, with: #""maxFailures": "0%""#)
        #expect {
            try ImportFormat.parse(Data(bad.utf8))
        } throws: { error in
            "\(error)".contains("$.tasks[0].waves: must be an array of counts and shares") && "\(error)".contains("$.tasks[0].maxFailures: must be a whole number from 1 or a share")
        }
    }
}
