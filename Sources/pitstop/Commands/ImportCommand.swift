import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop import FILE`: add tasks from JSON, all or nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import tasks from a JSON file (all or nothing; every problem is listed).")

    /// Files above this are refused before parsing, with a clear message.
    static let maximumBytes = 256 << 20

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The JSON file, or - for standard input.")
    var file: String

    func run() throws {
        let context = CLIContext(global: global)
        let data = try readLimited()
        let tasks = try ImportFormat.parse(data)
        let store = try context.openForWriting(command: "import", create: true)
        try store.mutate(.importTasks(tasks), context: context.mutationContext)
        let resources = tasks.reduce(0) { $0 + $1.resources.count }
        print("imported \(tasks.count) task\(tasks.count == 1 ? "" : "s") with \(resources) resources into \(store.directory)")
    }

    /// The file (or stdin) read up to the limit, never further: a size that lies (a pipe, /dev/zero) is
    /// caught when the bytes run past it, not after memory ran out.
    private func readLimited() throws -> Data {
        let handle: FileHandle
        if file == "-" {
            handle = FileHandle.standardInput
        } else {
            var info = stat()
            guard stat(file, &info) == 0 else { throw CLIError("cannot read \(file): \(String(cString: strerror(errno)))") }
            if info.st_mode & S_IFMT == S_IFDIR { throw CLIError("cannot read \(file): it is a directory; name a JSON or CSV file (see examples/)") }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
                throw CLIError("cannot read \(file): no such file")
            }
            if let size = attributes[.size] as? Int, size > Self.maximumBytes {
                throw CLIError("\(file) is \(size >> 20) MB; imports are limited to \(Self.maximumBytes >> 20) MB, split it into several files")
            }
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw CLIError("cannot read \(file): \(access(file, R_OK) != 0 ? String(cString: strerror(errno)) : "it could not be opened")")
            }
            handle = opened
        }
        var data = Data()
        while data.count <= Self.maximumBytes {
            let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
            guard let chunk, !chunk.isEmpty else { return data }
            data.append(chunk)
        }
        throw CLIError("the import is larger than \(Self.maximumBytes >> 20) MB; imports are limited to that, split it into several files")
    }
}
