import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, checked wrappers over the POSIX calls the store needs. Foundation's file APIs neither fsync a
/// directory nor lock, so the store speaks to the kernel directly.
enum FileIO {
    static func fail(_ operation: String, _ path: String) -> StoreError {
        .io(operation: operation, path: path, errno: errno)
    }

    /// Opens a file of the store. Never through a symbolic link (the store directory itself may be one): a
    /// link planted among the store's files must not redirect a write elsewhere.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(StoreError) -> Int32 {
        let flags = flags | O_CLOEXEC | (flags & O_DIRECTORY != 0 ? 0 : O_NOFOLLOW)
        while true {
            let fd = flags & O_CREAT != 0
                ? Int32(intercept(.create(path: path)) { _ in Int(Glibc.open(path, flags, mode)) })
                : Glibc.open(path, flags, mode)
            if fd >= 0 {
                if flags & O_CREAT != 0 { StoreSharing.of(directory: parent(of: path)).applyMode(fd: fd) }
                return fd
            }
            if errno == ELOOP {
                throw .badDirectory(path: path, reason: "is a symbolic link; the files inside a store must be regular files (only the store directory may be a link)")
            }
            if errno != EINTR { throw fail("opening", path) }
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Makes a directory and its missing parents (mode 0700 for what it makes), or says in one phrase why it
    /// could not: the part that is a file, or the system's reason for the part it could not make.
    static func makeDirectories(_ path: String) -> String? {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where !part.isEmpty {
            built += "/" + part
            var info = stat()
            if stat(built, &info) == 0 {
                if info.st_mode & S_IFMT != S_IFDIR { return "\(built) is a file, not a directory" }
                continue
            }
            if mkdir(built, 0o700) != 0 && errno != EEXIST { return "cannot make \(built): \(String(cString: strerror(errno)))" }
        }
        return nil
    }

    /// The directory holding `path`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Reads a whole file into memory.
    static func readAll(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try readAll(fd: fd, path: path, from: 0)
    }

    /// Reads from `offset` to the end of an open file.
    static func readAll(fd: Int32, path: String, from offset: Int) throws(StoreError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("inspecting", path) }
        let size = Int(info.st_size)
        guard size > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: size - offset)
        let done = try read(fd: fd, path: path, into: &bytes, at: offset)
        return done == bytes.count ? bytes : Array(bytes[0..<done])
    }

    /// `pread`s up to `count` bytes (default: the buffer's size) at `offset` into the start of `buffer`,
    /// resuming short reads; returns how many were read (fewer only at the end of the file).
    static func read(fd: Int32, path: String, into buffer: inout [UInt8], at offset: Int, count: Int? = nil) throws(StoreError) -> Int {
        let wanted = min(count ?? buffer.count, buffer.count)
        var done = 0
        var failure: Int32 = 0
        buffer.withUnsafeMutableBytes { raw in
            while done < wanted {
                let n = pread(fd, raw.baseAddress! + done, wanted - done, off_t(offset + done))
                if n > 0 {
                    done += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw .io(operation: "reading", path: path, errno: failure) }
        return done
    }

    /// Writes all of `bytes` at `offset`, retrying short writes.
    static func writeAll(fd: Int32, path: String, _ bytes: [UInt8], at offset: Int) throws(StoreError) {
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let call = FileCall.write(path: path, offset: offset + done, count: buffer.count - done)
                let n = intercept(call, fd: fd) { allowed in
                    pwrite(fd, buffer.baseAddress! + done, min(allowed ?? .max, buffer.count - done), off_t(offset + done))
                }
                if n > 0 {
                    done += n
                } else if n < 0 && errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw .io(operation: "writing", path: path, errno: failure) }
    }

    /// fsync, never retried on failure: after a failed fsync Linux may have dropped the dirty pages.
    static func sync(fd: Int32, path: String) throws(StoreError) {
        if intercept(.sync(path: path), fd: fd, { _ in Int(fsync(fd)) }) != 0 { throw .syncFailed(path: path, errno: errno) }
    }

    /// fdatasync: the data and the size, without the timestamps. Never retried either.
    static func syncData(fd: Int32, path: String) throws(StoreError) {
        if intercept(.sync(path: path), fd: fd, { _ in Int(fdatasync(fd)) }) != 0 { throw .syncFailed(path: path, errno: errno) }
    }

    static func syncDirectory(_ directory: String) throws(StoreError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        if intercept(.syncDirectory(path: directory), fd: fd, { _ in Int(fsync(fd)) }) != 0 {
            throw .syncFailed(path: directory, errno: errno)
        }
    }

    static func truncate(fd: Int32, path: String, to length: Int) throws(StoreError) {
        if intercept(.truncate(path: path, length: length), fd: fd, { _ in Int(ftruncate(fd, off_t(length))) }) != 0 {
            throw fail("truncating", path)
        }
    }

    static func rename(_ from: String, _ to: String) throws(StoreError) {
        if intercept(.rename(from: from, to: to), { _ in Int(Glibc.rename(from, to)) }) != 0 { throw fail("renaming \(from) to", to) }
    }

    /// Gives the file at `path` a second name.
    static func link(_ path: String, as newPath: String) throws(StoreError) {
        if intercept(.link(from: path, to: newPath), { _ in Int(Glibc.link(path, newPath)) }) != 0 { throw fail("linking \(path) to", newPath) }
    }

    static func unlinkIfPresent(_ path: String) throws(StoreError) {
        if intercept(.unlink(path: path), { _ in Int(unlink(path)) }) != 0 && errno != ENOENT { throw fail("removing", path) }
    }

    /// Inode and size of the file at a path, or nil when there is none.
    static func identity(_ path: String) -> (inode: UInt64, size: Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_ino), Int(info.st_size))
    }

    static func identity(fd: Int32) -> (inode: UInt64, size: Int)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return (UInt64(info.st_ino), Int(info.st_size))
    }

    /// Writes `bytes` as the whole content of `path` and fsyncs it (no rename: the caller decides when it counts).
    static func writeDurably(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        // A fresh file, never an existing one: whatever sits at a temp name is not ours to overwrite.
        try unlinkIfPresent(path)
        let fd = try open(path, O_WRONLY | O_CREAT | O_EXCL)
        defer { close(fd) }
        try writeAll(fd: fd, path: path, bytes, at: 0)
        try sync(fd: fd, path: path)
    }

    /// Writes `bytes` to `path` crash-safely: a temp file, fsync, rename over, fsync the directory.
    static func replace(_ path: String, with bytes: [UInt8], directory: String) throws(StoreError) {
        let temp = path + ".tmp"
        do {
            try writeDurably(temp, bytes)
        } catch {
            try? unlinkIfPresent(temp)
            throw error
        }
        try rename(temp, path)
        try syncDirectory(directory)
    }
}
