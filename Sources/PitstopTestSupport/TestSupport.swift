// PitstopTestSupport: helpers shared by the test targets only: scratch directories, the built binaries,
// and running them as real child processes.
public import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
public final class ScratchDirectory: Sendable {
    /// The directory.
    public let path: String

    /// A new directory whose name starts with `label`.
    public init(_ label: String = "pitstop-test") {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside this directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        stopSupervisors(under: path)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Cancels every attempt still running in stores under `directory` (SIGTERM to each live supervisor, which
/// stops its command's process group), so that no test leaves a command running after it.
public func stopSupervisors(under directory: String) {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
    while let relative = walker.nextObject() as? String {
        guard relative.hasSuffix(".attempt"), relative.contains("attempts/") else { continue }
        let path = directory + "/" + relative
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { continue }
        defer { close(fd) }
        // Only a locked record has a live supervisor; an unlocked one's pid may belong to anyone by now.
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else { continue }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("supervisor ") {
            if let pid = line.split(separator: " ").dropFirst().first.flatMap({ Int32($0) }) { kill(pid, SIGTERM) }
        }
    }
}

/// Locates binaries built by `swift build` next to the test bundle.
public enum BuiltProducts {
    /// Where the built products are: `PITSTOP_PRODUCTS`, else beside the test bundle.
    public static var directory: String {
        if let explicit = ProcessInfo.processInfo.environment["PITSTOP_PRODUCTS"] { return explicit }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/pitstop") } ?? candidates[0]
    }

    /// A built product by name.
    public static func path(_ name: String) -> String { "\(directory)/\(name)" }
}

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String

    /// A result as given.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs a program to its end with its output in files, and waits for it by its pid (`waitpid`), for scripts
/// that start what outlives them (test hosts, virtual machines): Foundation's `Process` was seen to miss the exit
/// of a child that had entered other namespaces (it stayed a zombie, and the suite waited for good).
public func runToExit(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
    let base = NSTemporaryDirectory() + "pitstop-run-\(UUID().uuidString.prefix(8))"
    defer { unlink(base + ".out"); unlink(base + ".err") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = [executable] + arguments
    var pid: pid_t = 0
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    let spawned = posix_spawn(&pid, executable, &actions, nil, cArguments, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ProcessResult(status: exit, stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
}

/// Starts a long-running child (a daemon) and returns at once. Its output goes to /dev/null, never to the
/// test's own stdout: a child holding that pipe would keep `swift test` waiting if the test process died.
public func startInBackground(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Runs a program to completion with an environment and optional standard input.
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inputPipe = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
    try process.run()
    if let input {
        // A child that exits without reading its input must not take the test runner down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? inputPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? inputPipe.fileHandleForWriting.close()
    }
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    // Safe: the reader thread writes `data` and the caller reads it only after `group.wait()`, which orders them.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// The lines of a file other processes append to (a ledger), or none while it does not exist.
public func lines(ofFile path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}
