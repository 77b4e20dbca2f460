import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// `pitstop output TASK RESOURCE [--attempt ID] [--follow]`: an attempt's output, as its command wrote it.
struct OutputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output", abstract: "Print the output of a resource's attempt (the current one unless --attempt).",
        discussion: "Attempt ids appear in `pitstop events` and in `task --json` (\"attempt\"). Outputs keep their last 1 MiB.")
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The task id.")
    var taskID: String

    @Argument(help: "The resource id.")
    var resourceID: String

    @Option(name: .long, help: "The attempt id (default: the resource's current or last attempt).")
    var attempt: UInt64?

    @Flag(name: .long, help: "Keep printing what the attempt writes until it ends, like tail -f.")
    var follow = false

    @Flag(name: .long, help: "The bytes as the command wrote them, even to a terminal (where control characters are otherwise shown as �).")
    var raw = false

    func run() throws {
        let store = try CLIContext(global: global).openForReading()
        guard let task = store.state.task(id: taskID) else { throw CLIError("no task \(taskID)") }
        guard let resource = task.resource(id: resourceID) else {
            throw CLIError("no resource \(resourceID) in task \(taskID)")
        }
        let files = AttemptFiles(storeDirectory: store.directory)
        guard let attemptID = attempt ?? resource.attemptID else {
            throw CLIError("\(resourceID) of \(taskID) has not run yet; there is no output")
        }
        if let record = AttemptRecord.read(files.record(attemptID)), record.taskID != taskID || record.resourceID != resourceID {
            throw CLIError("attempt \(attemptID) belongs to \(record.taskID ?? "?")/\(record.resourceID ?? "?"), not \(taskID)/\(resourceID)")
        }
        let path = files.output(attemptID)
        var offset: Int64 = 0
        guard FileManager.default.fileExists(atPath: path) || follow else {
            throw CLIError("no output for attempt \(attemptID) (\(path)): it never started, or its files were removed after outputRetention")
        }
        let writer = OutputWriter(raw: raw)
        defer { writer.finish() }
        offset = copy(path, from: offset, to: writer)
        guard follow else { return }
        while true {
            let record = AttemptRecord.read(files.record(attemptID))
            let ended = record?.end != nil || !AttemptFiles.isLocked(files.record(attemptID))
            offset = copy(path, from: offset, to: writer)
            if ended {
                offset = copy(path, from: offset, to: writer)
                writer.finish()
                FileHandle.standardError.write(Data("pitstop: attempt \(attemptID) \(Self.describe(record?.end))\n".utf8))
                return
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// Copies the file from `offset` to stdout and returns the new offset; a file cut back by its supervisor
    /// starts over from its beginning.
    private func copy(_ path: String, from offset: Int64, to writer: OutputWriter) -> Int64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return offset }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return offset }
        var position = Int64(info.st_size) < offset ? 0 : offset
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if count <= 0 { break }
            writer.write(buffer[0..<count])
            position += Int64(count)
        }
        return position
    }

    static func describe(_ end: AttemptRecord.End?) -> String {
        switch end {
        case nil: return "ended without an outcome (its supervisor was lost)"
        case .exited(let code, nil)?: return "ended: exit status \(code)"
        case .signalled(let signal, nil)?: return "ended: killed by signal \(signal)"
        case .exited(_, .timeout(let s))?, .signalled(_, .timeout(let s))?: return "timed out after \(DurationText.format(s))"
        case .exited(_, .cancelled(let by))?, .signalled(_, .cancelled(let by))?: return "was cancelled by \(by)"
        case .refused(let reason)?: return "did not start: \(reason)"
        case .held(let how)?: return "was held by its precheck (\(how)); nothing ran"
        }
    }
}
