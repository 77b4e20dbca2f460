import CPitstopCRC
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store owner's secret (`STORE/owner.key`, 32 random bytes, mode 0600, owned by the store's owner) and the
/// seals made with it: an HMAC-SHA-256 of what a task or the policy makes the engine run (SPEC §29). A member
/// of a team store can write its journal and snapshot but can neither read this file nor make one the engine
/// takes (the engine checks the file's owner and mode by descriptor), so a command that reaches the shared
/// files without the owner's seal is never run.
public struct OwnerKey: Sendable {
    /// The file's name in the store directory.
    public static let fileName = "owner.key"
    private static let length = 32
    private let key: [UInt8]

    /// A key of these bytes (tests).
    package init(bytes: [UInt8]) { key = bytes }

    /// The key of the store in `directory`, or nil when it has none yet. Throws when the file is there but
    /// someone other than the store's owner could have made, changed or read it.
    public static func load(storeDirectory directory: String) throws(StoreError) -> OwnerKey? {
        let path = directory + "/" + fileName
        let owner = try storeOwner(directory)
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .sealKey(path: path, reason: "it is a symbolic link") }
            if errno == EACCES { throw .sealKey(path: path, reason: "only the store's owner may read it") }
            throw FileIO.fail("opening", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIO.fail("inspecting", path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .sealKey(path: path, reason: "it is not a regular file") }
        guard info.st_uid == owner else {
            throw .sealKey(path: path, reason: "it belongs to uid \(info.st_uid), not to the store's owner (uid \(owner))")
        }
        guard info.st_nlink == 1 else { throw .sealKey(path: path, reason: "it has other names (hard links)") }
        guard info.st_mode & 0o077 == 0 else {
            throw .sealKey(path: path, reason: "its group or others may use it (mode \(String(info.st_mode & 0o7777, radix: 8)))")
        }
        var bytes = [UInt8](repeating: 0, count: length + 1)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == length else { throw .sealKey(path: path, reason: "it holds \(max(count, 0)) bytes, not \(length)") }
        return OwnerKey(bytes: Array(bytes.prefix(length)))
    }

    /// The store's key, made when it has none: only by its owner or root (given to the owner), 0600, written
    /// and synced under a temporary name and linked into place, so two writers racing end with one key.
    public static func loadOrCreate(storeDirectory directory: String) throws(StoreError) -> OwnerKey {
        if let key = try load(storeDirectory: directory) { return key }
        let owner = try storeOwner(directory)
        let path = directory + "/" + fileName
        guard geteuid() == owner || geteuid() == 0 else {
            throw .sealKey(path: path, reason: "it is missing, and only the store's owner (uid \(owner)) may make it")
        }
        // Swift's system generator draws from getrandom(2): fit for keys.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...UInt8.max, using: &generator) }
        let temporary = "\(path).\(getpid()).tmp"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw FileIO.fail("creating", temporary) }
        defer { close(fd) }
        guard fchown(fd, owner, gid_t.max) == 0, fchmod(fd, 0o600) == 0 else { throw FileIO.fail("giving to the owner", temporary) }
        try FileIO.writeAll(fd: fd, path: temporary, bytes, at: 0)
        try FileIO.sync(fd: fd, path: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 && errno != EEXIST { throw FileIO.fail("linking", path) }
        unlink(temporary)
        try FileIO.syncDirectory(directory)
        guard let key = try load(storeDirectory: directory) else { throw .sealKey(path: path, reason: "it vanished as it was made") }
        return key
    }

    /// The login name of `uid`, or `uid N` when it has none: how refusals name the store's owner.
    public static func userName(_ uid: UInt32) -> String {
        getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
    }

    /// The uid that owns the store directory: the one user whose key the engine trusts.
    static func storeOwner(_ directory: String) throws(StoreError) -> uid_t {
        var info = stat()
        guard stat(directory, &info) == 0 else { throw FileIO.fail("inspecting", directory) }
        return info.st_uid
    }

    /// The seal of `content`: its HMAC-SHA-256 under the key, as 64 hex digits.
    public func seal(_ content: [UInt8]) -> String {
        var mac = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { k in
            content.withUnsafeBytes { c in
                mac.withUnsafeMutableBytes { pitstop_hmac_sha256(k.baseAddress, k.count, c.baseAddress, c.count, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            }
        }
        return mac.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Whether `seal` is this key's seal of `content`; compared in constant time.
    public func verifies(_ seal: String?, of content: [UInt8]) -> Bool {
        guard let seal else { return false }
        let expected = Array(self.seal(content).utf8)
        let given = Array(seal.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}

/// SHA-256 of small inputs (the seal's tests and anything that needs a digest).
package enum SHA256 {
    /// The digest of `bytes`.
    package static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { b in
            digest.withUnsafeMutableBytes { pitstop_sha256(b.baseAddress, b.count, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        }
        return digest
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
