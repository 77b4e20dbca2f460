import Foundation
import PitstopCore

/// A fuzzer without libFuzzer: mutates corpus inputs with a seeded generator, so that a run is repeatable
/// from its seed. Used by `make test` for a short pass and by `pitstop-fuzz` where libFuzzer is not built.
package struct SeededFuzzer {
    package let target: FuzzTarget
    package let corpus: [[UInt8]]
    private var random: SeededGenerator

    package init(target: FuzzTarget, corpus: [[UInt8]], seed: UInt64) {
        self.target = target
        self.corpus = corpus.isEmpty ? [[]] : corpus
        random = SeededGenerator(seed: seed)
    }

    /// Runs `count` mutated inputs; returns the first that broke a promise, with what it broke.
    package mutating func run(_ count: Int) -> (input: [UInt8], finding: FuzzFinding)? {
        for _ in 0..<count {
            let input = mutated()
            if let finding = target.run(input) { return (input, finding) }
        }
        return nil
    }

    /// A corpus entry with one to four mutations stacked.
    package mutating func mutated() -> [UInt8] {
        var bytes = corpus.randomElement(using: &random)!
        for _ in 0...Int.random(in: 0...3, using: &random) { mutate(&bytes) }
        return bytes
    }

    private static let interesting: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, .max]

    private mutating func mutate(_ bytes: inout [UInt8]) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1 where !bytes.isEmpty:
            bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 2:
            let count = Int.random(in: 1...16, using: &random)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
        case 3 where !bytes.isEmpty:
            bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &random)))
        case 4 where !bytes.isEmpty:
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
        case 5 where !bytes.isEmpty:
            let value = Self.interesting.randomElement(using: &random)!
            let width = [1, 2, 4, 8].randomElement(using: &random)!
            for i in 0..<width where position + i < bytes.count { bytes[position + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        case 6:
            bytes.removeSubrange(min(bytes.count, position)...)
        default:
            let other = corpus.randomElement(using: &random)!
            guard !other.isEmpty else { return }
            let start = Int.random(in: 0..<other.count, using: &random)
            bytes.replaceSubrange(position..<min(bytes.count, position + 32), with: other[start..<min(other.count, start + 32)])
        }
    }

    /// The files of a corpus directory, in name order.
    package static func loadCorpus(_ directory: String) -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: "\(directory)/\($0)").map { [UInt8]($0) } }
    }
}
