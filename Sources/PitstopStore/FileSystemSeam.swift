import Foundation

/// One write-side system call of the store, as the fault-injection seam sees it.
package enum FileCall: Equatable, Sendable, CustomStringConvertible {
    /// `open` with `O_CREAT`: may make a new name in a directory.
    case create(path: String)
    /// One `pwrite` of `count` bytes at `offset`.
    case write(path: String, offset: Int, count: Int)
    case truncate(path: String, length: Int)
    /// `fsync` or `fdatasync` of a file.
    case sync(path: String)
    /// `fsync` of a directory: makes its creates, renames, links and unlinks durable.
    case syncDirectory(path: String)
    case rename(from: String, to: String)
    case link(from: String, to: String)
    case unlink(path: String)

    package var description: String {
        let name = { (path: String) in (path as NSString).lastPathComponent }
        switch self {
        case .create(let path): return "create \(name(path))"
        case .write(let path, let offset, let count): return "write \(name(path)) \(count)B@\(offset)"
        case .truncate(let path, let length): return "truncate \(name(path)) to \(length)"
        case .sync(let path): return "fsync \(name(path))"
        case .syncDirectory: return "fsync directory"
        case .rename(let from, let to): return "rename \(name(from)) → \(name(to))"
        case .link(let from, let to): return "link \(name(from)) → \(name(to))"
        case .unlink(let path): return "unlink \(name(path))"
        }
    }
}

/// What the seam makes of a call.
package enum FaultAction: Equatable, Sendable {
    /// Make the call.
    case proceed
    /// Do nothing and fail with this errno.
    case fail(Int32)
    /// For a write: write only this many bytes and report them (the caller must write the rest).
    case shortWrite(Int)
    /// Do nothing and report success: a call whose effect never reached the disk.
    case pretend
}

/// Intercepts the store's write-side system calls, so that tests can fail them, cut them short or stop a
/// "process" between any two of them. Production code runs with no seam installed.
package protocol FileSystemSeam: AnyObject, Sendable {
    /// Decides the fate of a call before it is made.
    func before(_ call: FileCall) -> FaultAction
    /// Observes a call that was made and succeeded; `fd` is the descriptor it acted on, or -1.
    func after(_ call: FileCall, fd: Int32)
}

extension FileIO {
    /// The seam for the current task, installed by tests with `FileIO.$seam.withValue(…)`.
    @TaskLocal package static var seam: (any FileSystemSeam)?

    /// Runs `body` unless the seam says otherwise; a `-1` result carries `errno`. `body` gets the byte count
    /// a short write allows (nil: all). `fd` is what `after` is told, except for a create: its result.
    static func intercept(_ call: FileCall, fd: Int32 = -1, _ body: (Int?) -> Int) -> Int {
        guard let seam else { return body(nil) }
        let action = seam.before(call)
        switch action {
        case .fail(let code):
            errno = code
            return -1
        case .pretend:
            return 0
        case .proceed, .shortWrite:
            var allowed: Int?
            if case .shortWrite(let count) = action { allowed = count }
            let result = body(allowed)
            if result >= 0 {
                if case .create = call { seam.after(call, fd: Int32(result)) } else { seam.after(call, fd: fd) }
            }
            return result
        }
    }
}
