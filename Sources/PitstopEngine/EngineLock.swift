import Foundation
import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// Why an engine could not take a store.
public enum EngineLockError: Error, Equatable, CustomStringConvertible {
    case heldBy(pid: Int32?, path: String)
    case io(path: String, errno: Int32)

    /// The problem in one sentence (the command line adds what to do).
    public var description: String {
        switch self {
        case .heldBy(let pid, let path):
            return "another engine already runs on this store\(pid.map { " (process \($0))" } ?? "") (lock \(path))"
        case .io(let path, let code):
            return "cannot use the engine lock \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// One engine per store: an `flock` on `engine.lock` in the store directory, held for the engine's life,
/// with the holder's pid written inside so that a second engine can say who holds it.
public final class EngineLock: Sendable {
    /// The lock file, `STORE/engine.lock`.
    public let path: String
    private let fd: Int32

    /// Takes the lock, or throws naming the process that holds it.
    public init(storeDirectory: String) throws {
        path = storeDirectory + "/engine.lock"
        fd = StoreSharing.of(directory: storeDirectory).create(path, O_RDWR)
        guard fd >= 0 else { throw EngineLockError.io(path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            throw EngineLockError.heldBy(pid: holder, path: path)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The pid of the engine holding the lock of a store, or nil when none runs.
    public static func holder(storeDirectory: String) -> Int32? {
        let fd = Glibc.open(storeDirectory + "/engine.lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPID(fd)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Gives the lock up now, before this object goes (whoever still holds a reference to it). Only for an
    /// engine that has stopped.
    public func release() {
        flock(fd, LOCK_UN)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
