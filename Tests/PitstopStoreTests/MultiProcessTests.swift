import Foundation
import Synchronization
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopStore

/// Real processes on one store: no lost update, and never two winners of one slot.
@Suite(.serialized)
struct MultiProcessTests {
    let torture = BuiltProducts.path("pitstop-torture")

    /// Starts the torture writer with its stdout on a pipe.
    func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: torture)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, pipe)
    }

    @Test func twoWritingProcessesLoseNothing() throws {
        let dir = ScratchDirectory()
        let path = dir.file("store")
        _ = try Store.open(path)
        let writers = try ["A", "B"].map { try launch(["import", path, $0, "150", "4096"]) }
        var acknowledged = 0
        for (process, pipe) in writers {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            acknowledged += output.split(separator: "\n").count
        }
        let store = try Store.open(path, options: StoreOptions(readOnly: true))
        #expect(acknowledged == 300)
        #expect(store.state.tasks.count == 300 && store.sequence == 300)
        #expect(store.state.events.map(\.sequence) == Array(1...300).map(UInt64.init), "one event per change, none lost or doubled")
    }

    @Test func racingReservationsOfOneSlotHaveExactlyOneWinner() throws {
        let dir = ScratchDirectory()
        let path = dir.file("store")
        let store = try Store.open(path)
        let ids = (1...6).map { "TASK-\($0)" }
        try store.mutate(.importTasks(ids.map { StoreFixture.task($0, machines: ["shared-db"]) }), context: MutationContext(now: Date(), actor: "test"))
        let at = InstantText.iso8601UTC(Date().addingTimeInterval(3 * 86400))
        let racers = try ids.map { try launch(["reserve", path, $0, "shared-db", at]) }
        let outcomes = racers.map { process, pipe -> String in
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output
        }
        #expect(outcomes.filter { $0.hasPrefix("won") }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0.contains("[conflictWindow]") }.count == 5)
        _ = try store.poll()
        let reserved = store.state.tasks.filter { $0.resources[0].status == .reserved }
        #expect(reserved.count == 1)
    }
}

/// A reader is not starved by a writer that commits back to back (a daemon recording dozens of results a
/// tick): it waits in the kernel's queue for the lock instead of retrying into the gaps between writes.
struct LockFairnessTests {
    @Test func aReaderGetsInBetweenBackToBackWrites() throws {
        let scratch = ScratchDirectory("pitstop-lock")
        let directory = scratch.file("store")
        let writer = try Store.open(directory)
        // Safe: from here on only the writer thread touches this handle.
        nonisolated(unsafe) let busy = writer
        struct Shared {
            var stopping = false
            var writes = 0
        }
        let shared = Mutex(Shared())
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while !shared.withLock({ $0.stopping }) {
                let n = shared.withLock { $0.writes }
                _ = try? busy.mutate(.setPolicyValue(key: "maxConcurrency", value: "\(n % 50 + 1)"), context: StoreFixture.context())
                shared.withLock { $0.writes += 1 }
            }
            done.signal()
        }
        defer {
            shared.withLock { $0.stopping = true }
            done.wait()
        }
        // The writer is in full swing before the readers come.
        waitUntil(10, every: 0.005) { shared.withLock { $0.writes } >= 20 }
        let before = shared.withLock { $0.writes }
        for _ in 0..<10 {
            let reader = try Store.open(directory, options: StoreOptions(readOnly: true, lockTimeout: 3))
            #expect(reader.sequence > 0)
        }
        let writes = shared.withLock { $0.writes }
        #expect(before >= 20 && writes > before, "the writer kept writing meanwhile (\(before) → \(writes))")
    }
}
