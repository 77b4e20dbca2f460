import Foundation

/// One input Pitstop reads from outside its own code, as something a fuzzer can feed bytes to.
///
/// Each target decodes the bytes the way the product does and then checks what a decoder must promise
/// beyond "no crash": a snapshot that decodes re-encodes to the same state, a journal scan's offsets stay
/// inside the file, an accepted TIME prints back to itself, a theme error names a line of the file.
package enum FuzzTarget: String, CaseIterable, Sendable {
    case snapshot
    case journal
    case `import`
    case time
    case theme

    /// What the target feeds its bytes to.
    package var summary: String {
        switch self {
        case .snapshot: "the snapshot decoder (checksums repaired so mutations reach the record decoders)"
        case .journal: "the journal reader and replay (checksums repaired)"
        case .import: "the JSON import parser, then export and re-import of what it accepted"
        case .time: "the TIME parser (ISO 8601, local wall time, now±DURATION) in several zones"
        case .theme: "the theme file parser"
        }
    }

    /// Runs one input; a finding is a broken promise (a crash ends the process before it returns).
    package func run(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        switch self {
        case .snapshot: StoreFileTargets.snapshot(input)
        case .journal: StoreFileTargets.journal(input)
        case .import: TextTargets.importFile(input)
        case .time: TextTargets.time(input)
        case .theme: TextTargets.theme(input)
        }
    }

    /// Runs one input held in an array, copied first into an allocation of exactly its size so that an
    /// address sanitizer sees any read past its end.
    package func run(_ input: [UInt8]) -> FuzzFinding? {
        let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: max(input.count, 1), alignment: 1)
        defer { exact.deallocate() }
        input.withUnsafeBytes { exact.copyMemory(from: $0) }
        return run(UnsafeRawBufferPointer(rebasing: exact[0..<input.count]))
    }
}

/// A promise a decoder broke on some input.
package struct FuzzFinding: Error, CustomStringConvertible, Equatable {
    package var target: FuzzTarget
    package var message: String
    package var description: String { "\(target.rawValue): \(message)" }

    package init(_ target: FuzzTarget, _ message: String) {
        self.target = target
        self.message = message
    }
}
