import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Follows an attempt's output file (`outputs/N.log`) from the outside: reads only what was appended since the
/// last look, and keeps the last lines, the latest `PITSTOP_PROGRESS=NN` and the last line worth showing.
/// The file is written by the command itself; this reader never holds it open between looks.
public struct AttemptOutput: Sendable {
    /// Lines kept in memory unless the reader asks for another number.
    public static let tailLines = 200
    /// At most this much is read in one look; a command writing faster is sampled, not followed byte by byte.
    static let readLimit = 256 * 1024
    static let progressPrefix = "PITSTOP_PROGRESS="

    /// The output file.
    public let path: String
    /// How many of the last lines are kept.
    let keep: Int
    /// Whether the file has been opened at least once (it may not exist yet, or any more).
    public private(set) var found = false
    private var offset: Int64 = 0
    private var partial: [UInt8] = []
    /// The last lines read, oldest first, progress lines left out.
    public private(set) var lines: [String] = []
    /// The latest `PITSTOP_PROGRESS=NN`, 0 to 100.
    public private(set) var progress: Int?
    /// The latest roles a Patroni command reported for its cluster's members (`PITSTOP_ROLES=`), by member.
    public private(set) var reportedRoles: [String: ResourceRole]?
    /// The last line that is not a progress line or blank: what the console and the outcome show.
    public private(set) var lastLine: String?

    /// A reader at the start of the file, keeping the last `keep` lines.
    public init(path: String, keep: Int = AttemptOutput.tailLines) {
        self.path = path
        self.keep = keep
    }

    /// Reads what is new. A file that shrank was cut back by its supervisor (or replaced): read from its start.
    public mutating func refresh() {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return }
        defer { close(fd) }
        found = true
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        let size = Int64(info.st_size)
        if size < offset {
            offset = 0
            partial.removeAll()
        }
        guard size > offset else { return }
        if size - offset > Int64(Self.readLimit) {
            // Too much at once: skip to a recent window and start at a line boundary there.
            offset = size - Int64(Self.readLimit)
            partial.removeAll()
            skipToLineStart = true
        }
        var buffer = [UInt8](repeating: 0, count: Int(size - offset))
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard count > 0 else { return }
        offset += Int64(count)
        take(buffer[0..<count])
    }

    private var skipToLineStart = false

    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        var bytes = bytes
        if skipToLineStart {
            guard let newline = bytes.firstIndex(of: 0x0A) else { return }
            bytes = bytes[(newline + 1)...]
            skipToLineStart = false
        }
        for byte in bytes {
            if byte == 0x0A {
                takeLine(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
            } else if partial.count < 4096 {
                partial.append(byte)
            }
        }
    }

    private mutating func takeLine(_ raw: String) {
        let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
        if line.hasPrefix(Self.progressPrefix) {
            if let value = Int(line.dropFirst(Self.progressPrefix.count).trimmingCharacters(in: .whitespaces)) {
                progress = min(max(value, 0), 100)
            }
            return
        }
        if let roles = PatroniCluster.roles(fromLine: Substring(line)) {
            reportedRoles = roles
            return
        }
        lines.append(line)
        if lines.count > keep { lines.removeFirst(lines.count - keep) }
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { lastLine = line }
    }

    /// The text of an unfinished last line, if the command wrote one without its newline.
    public var unfinishedLine: String? {
        partial.isEmpty ? nil : String(decoding: partial, as: UTF8.self)
    }
}
