import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a child's output on its own thread: keeps the last lines in memory, the latest `PITSTOP_PROGRESS=NN`,
/// and (optionally) a log file capped in size, so a chatty child can neither block nor fill the disk.
final class OutputCollector: @unchecked Sendable {
    static let tailLines = 200
    static let fileLimit = 1 << 20

    private let lock = NSLock()
    private var lines: [String] = []
    private var partial: [UInt8] = []
    private var latestProgress: Int?
    private var finished = false
    private var logFD: Int32 = -1
    private var logged = 0

    init(readFD: Int32, logPath: String?) {
        if let logPath {
            logFD = Glibc.open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        Thread.detachNewThread { [self] in self.readLoop(readFD) }
    }

    var tail: [String] { lock.withLock { lines + (partial.isEmpty ? [] : [String(decoding: partial, as: UTF8.self)]) } }
    var progress: Int? { lock.withLock { latestProgress } }
    var isFinished: Bool { lock.withLock { finished } }
    var lastLine: String? { tail.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }

    private func readLoop(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            append(buffer[0..<count])
        }
        close(fd)
        lock.withLock {
            finished = true
            if logFD >= 0 { close(logFD) }
            logFD = -1
        }
    }

    private func append(_ chunk: ArraySlice<UInt8>) {
        lock.withLock {
            if logFD >= 0 && logged < Self.fileLimit {
                let allowed = min(chunk.count, Self.fileLimit - logged)
                _ = chunk.prefix(allowed).withUnsafeBytes { write(logFD, $0.baseAddress, $0.count) }
                logged += allowed
                if logged >= Self.fileLimit {
                    let note = Array("\n[pitstop: output beyond 1 MiB not kept]\n".utf8)
                    _ = note.withUnsafeBytes { write(logFD, $0.baseAddress, $0.count) }
                }
            }
            for byte in chunk {
                if byte == 0x0A {
                    takeLine()
                } else if partial.count < 4096 {
                    partial.append(byte)
                }
            }
        }
    }

    private func takeLine() {
        let line = String(decoding: partial, as: UTF8.self)
        partial.removeAll(keepingCapacity: true)
        if line.hasPrefix("PITSTOP_PROGRESS="), let value = Int(line.dropFirst(17).trimmingCharacters(in: .whitespaces)) {
            latestProgress = min(max(value, 0), 100)
        }
        lines.append(line)
        if lines.count > Self.tailLines { lines.removeFirst(lines.count - Self.tailLines) }
    }
}
