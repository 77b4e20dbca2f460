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
