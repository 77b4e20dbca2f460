import Foundation
import PitstopFuzzing
import Testing

/// Every input fuzzing ever broke a reader with, and the seed corpora, stay harmless; plus a short
/// seeded fuzzing pass per target (`make fuzz` runs libFuzzer for real).
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz").path

    static func files(_ kind: String, _ target: FuzzTarget) -> [String] {
        let directory = "\(root)/\(kind)/\(target.rawValue)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().map { "\(directory)/\($0)" }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionInputsStayHarmless(target: FuzzTarget) throws {
        for file in Self.files("regressions", target) {
            let input = try #require(FileManager.default.contents(atPath: file))
            #expect(target.run([UInt8](input)) == nil, "\(file)")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedCorpusIsAcceptedWithoutFindings(target: FuzzTarget) throws {
        let files = Self.files("corpus", target)
        #expect(!files.isEmpty, "no seeds for \(target.rawValue): run scripts/fuzz-corpus.sh")
        for file in files {
            let input = try #require(FileManager.default.contents(atPath: file))
            #expect(target.run([UInt8](input)) == nil, "\(file)")
        }
    }

    /// PITSTOP_FUZZ_RUNS and PITSTOP_FUZZ_SEED make it longer or replay another sequence.
    @Test(arguments: FuzzTarget.allCases)
    func seededMutationsFindNothing(target: FuzzTarget) {
        let environment = ProcessInfo.processInfo.environment
        let runs = environment["PITSTOP_FUZZ_RUNS"].flatMap { Int($0) } ?? 1500
        let seed = environment["PITSTOP_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20261125
        let corpus = SeededFuzzer.loadCorpus("\(Self.root)/corpus/\(target.rawValue)")
        var fuzzer = SeededFuzzer(target: target, corpus: corpus, seed: seed)
        if let (input, finding) = fuzzer.run(runs) {
            Issue.record("\(finding) on input \(input.prefix(64).map { String(format: "%02x", $0) }.joined()) (seed \(seed))")
        }
    }

    @Test func checksumRepairMakesAMutatedSnapshotReachTheRecordDecoders() throws {
        var bytes = try #require(Self.files("corpus", .snapshot).first.flatMap { FileManager.default.contents(atPath: $0) }).map { $0 }
        bytes[FileHeaderOffsets.firstRecordBody] ^= 0x40
        let before = bytes
        ChecksumRepair.repair(&bytes)
        #expect(bytes != before, "the repair rewrote the checksum of the changed record")
    }
}

/// Where the first record's body starts in a store file: the 36-byte file header, then a 12-byte frame header.
private enum FileHeaderOffsets {
    static let firstRecordBody = 36 + 12 + 2
}
