import Foundation
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopStore

/// A writer killed with SIGKILL at random instants, compacting as it goes: after every kill the store must
/// open to exactly a prefix of what the writer did, holding everything it acknowledged.
/// `PITSTOP_CRASH_ITERATIONS` runs it longer (`make crash`).
@Suite(.serialized)
struct CrashTests {
    @Test func killedWritersNeverLoseAnAcknowledgedMutation() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["PITSTOP_CRASH_ITERATIONS"] ?? "") ?? 24
        let dir = ScratchDirectory()
        let path = dir.file("store")
        _ = try Store.open(path)
        var rng = SeededGenerator(seed: 20_261_125)
        var totalAcknowledged = 0
        var kills = 0
        for iteration in 0..<iterations {
            let prefix = String(format: "K%03d", iteration)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltProducts.path("pitstop-torture"))
            // A tiny compaction threshold, so kills also land inside snapshot replacements.
            process.arguments = ["import", path, prefix, "100000", String(Int.random(in: 1500...6000, using: &rng))]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(Int.random(in: 30_000...250_000, using: &rng)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let acknowledged = output.split(separator: "\n").filter { $0.hasPrefix("ack ") }.map { String($0.dropFirst(4)) }
            totalAcknowledged += acknowledged.count

            let store = try Store.open(path)
            let present = store.state.tasks.map(\.id).filter { $0.hasPrefix(prefix + "-") }.sorted()
            let missing = Set(acknowledged).subtracting(present)
            #expect(missing.isEmpty, "iteration \(iteration): acknowledged but lost: \(missing.sorted().prefix(5))")
            // Exactly a prefix: the first k mutations, with no hole.
            #expect(present == (0..<present.count).map { String(format: "%@-%06d", prefix, $0) }, "iteration \(iteration)")
            #expect(present.count <= acknowledged.count + 1, "at most the one in flight was saved unacknowledged")
            // (A kill before the first write leaves no events at all: `1...0` would trap.)
            #expect(store.state.events.map(\.sequence) == (0..<store.state.events.count).map { UInt64($0 + 1) })
        }
        let report = try StoreCheck.run(path)
        #expect(report.isHealthy, "\(report.errors)")
        // The test proves something only if kills landed mid-write and writes were acknowledged before them.
        #expect(kills * 2 >= iterations, "only \(kills) of \(iterations) writers were still running when killed")
        #expect(totalAcknowledged >= iterations, "only \(totalAcknowledged) mutations acknowledged")
        print("crash test: \(iterations) iterations, \(kills) kills, \(totalAcknowledged) mutations acknowledged, 0 lost")
    }
}
