import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes an attempt's output to standard output: the bytes as the command wrote them into a file or a pipe
/// (or with `--raw`), and on a terminal each line with its control characters shown as U+FFFD (tabs and line
/// breaks kept), as every other screen of Pitstop shows hostile text, so that a command cannot retitle, clear or
/// rewrite the operator's terminal (SPEC §29). Lines are written whole: a chunk's unfinished line waits for the next.
final class OutputWriter {
    private let sanitize: Bool
    private var pending: [UInt8] = []

    /// A writer that sanitizes when standard output is a terminal, unless `raw`.
    init(raw: Bool) {
        sanitize = !raw && isatty(STDOUT_FILENO) == 1
    }

    func write(_ bytes: ArraySlice<UInt8>) {
        guard sanitize else { return FileHandle.standardOutput.write(Data(bytes)) }
        pending.append(contentsOf: bytes)
        guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { return }
        emit(pending[...last])
        pending.removeSubrange(...last)
    }

    /// Writes what is left of an unfinished last line.
    func finish() {
        guard !pending.isEmpty else { return }
        emit(pending[...])
        pending.removeAll()
    }

    private func emit(_ bytes: ArraySlice<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { EventText.sanitized(String($0)) }.joined(separator: "\t")
        }
        FileHandle.standardOutput.write(Data(lines.joined(separator: "\n").utf8))
    }
}
