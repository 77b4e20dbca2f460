import Foundation
import PitstopCore
import PitstopEngine
@testable import PitstopStore
import PitstopTestSupport
import Testing

/// The engine on a disk that refuses writes for a while: ticks fail with the store's error, executions
/// keep their outcomes, and once writes go through again every outcome is recorded exactly once.
struct StoreFailureTests {
    /// Fails every journal write with ENOSPC while `full` is set.
    final class FullDisk: FileSystemSeam, @unchecked Sendable {
        let lock = NSLock()
        var full = true
        func before(_ call: FileCall) -> FaultAction {
            lock.withLock { if case .write = call, full { .fail(ENOSPC) } else { .proceed } }
        }
        func after(_ call: FileCall, fd: Int32) {}
    }

    func task(_ id: String, count: Int) -> MaintenanceTask {
        MaintenanceTask(
            id: id, title: id, service: .mysql, requirement: .recommended, recommendedAt: EngineHarness.start, type: .osUpdate,
            executor: .simulated(SimulatedExecutor(durationSeconds: 5, jitter: 0, failureRate: 0)),
            resources: (0..<count).map { Resource(id: "\(id)-\($0)", name: "db-\($0)") })
    }

    @Test func outcomesFinishedWhileTheDiskWasFullAreWrittenOnceItIsNot() throws {
        let harness = try EngineHarness(tasks: [task("T", count: 3)])
        try harness.reserve("T", ["T-0", "T-1", "T-2"], inSeconds: 120)
        try harness.run(seconds: 122)
        #expect(harness.events(.started).count == 3)

        let disk = FullDisk()
        for _ in 0..<10 {
            harness.clock.advance(by: 1)
            let error = #expect(throws: StoreError.self) { try FileIO.$seam.withValue(disk) { try harness.engine.tick() } }
            #expect(error.map { Engine.canRetry(after: $0) } == true, "a full disk is worth retrying: \(String(describing: error))")
            #expect("\(error!)".contains("No space left on device"))
        }
        #expect(harness.events(.completed).isEmpty, "nothing could be written")

        disk.lock.withLock { disk.full = false }
        try FileIO.$seam.withValue(disk) { try harness.run(seconds: 3) }
        #expect(harness.events(.completed).count == 3, "each execution that finished during the outage is recorded")
        #expect(Set(harness.events(.completed).map(\.resourceID)) == ["T-0", "T-1", "T-2"])
        #expect(harness.state.task(id: "T")!.resources.allSatisfy { $0.status == .completed })
        #expect(harness.engine.isIdle)
    }

    @Test func aFailedFsyncIsNotRetriedByTheLoop() {
        #expect(!Engine.canRetry(after: StoreError.syncFailed(path: "/s/journal", errno: EIO)))
        #expect(!Engine.canRetry(after: StoreError.unusable(path: "/s")))
        #expect(!Engine.canRetry(after: StoreError.corrupt(path: "/s/journal", offset: 0, reason: "x")))
        #expect(Engine.canRetry(after: StoreError.io(operation: "writing", path: "/s/journal", errno: ENOSPC)))
    }
}
