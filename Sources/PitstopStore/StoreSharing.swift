import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who a store is for, read from its directory's mode: a **team store** is a setgid directory its group may
/// read, write and enter (`3770`, made by `pitstop store init --group`: sticky too, so that a member cannot
/// rename or remove the owner's files, SPEC §29); every other store is its owner's.
/// The files a store creates get the matching mode whatever the creator's umask: `0660` and `2770` for a
/// team store (the setgid bit gives them the directory's group), `0600` and `0700` otherwise.
public enum StoreSharing: Sendable, Equatable {
    /// Only the owner reads and writes.
    case owner
    /// The owner and the members of the directory's group read and write.
    case group(gid: UInt32)

    /// The sharing of the store directory `path`; `.owner` when it cannot be read.
    public static func of(directory path: String) -> StoreSharing {
        var info = stat()
        guard stat(path, &info) == 0 else { return .owner }
        return of(mode: info.st_mode, gid: info.st_gid)
    }

    /// The sharing a directory of this mode and group has.
    public static func of(mode: UInt32, gid: UInt32) -> StoreSharing {
        mode & UInt32(S_ISGID) != 0 && mode & 0o070 == 0o070 ? .group(gid: gid) : .owner
    }

    /// The mode of the store's files.
    public var fileMode: UInt32 {
        if case .group = self { return 0o660 }
        return 0o600
    }

    /// The mode of a team store's own directory: its directories' mode and the sticky bit, so that only a
    /// file's owner (or the directory's) may rename or remove it.
    public static let teamStoreDirectoryMode: UInt32 = 0o3770

    /// Whether this process may replace or remove the files of a store shared this way and owned by `owner`
    /// (a compaction renames over the snapshot and journal): anyone in a private store it may write, only the
    /// owner or root in a team store, whose directory is sticky.
    public func mayReplaceFiles(owner: UInt32) -> Bool {
        if case .group = self { return geteuid() == owner || geteuid() == 0 }
        return true
    }

    /// The mode of the store's directories (the setgid bit passes the group on to what is made inside).
    public var directoryMode: UInt32 {
        if case .group = self { return 0o2770 }
        return 0o700
    }

    /// Gives a file this process just opened with `O_CREAT` the store's mode, which the umask may have
    /// narrowed. Files another user created are left as they are (only their owner may change them).
    public func applyMode(fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o7777 != fileMode else { return }
        _ = fchmod(fd, fileMode)
    }

    /// Opens `path`, creating it when missing, with the store's file mode whatever the umask; never through a
    /// symbolic link, close-on-exec. Returns the descriptor, or -1 with `errno` set.
    public func create(_ path: String, _ flags: Int32) -> Int32 {
        let fd = Glibc.open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW, fileMode)
        if fd >= 0 { applyMode(fd: fd) }
        return fd
    }

    /// Makes a directory with the store's directory mode, whatever the umask; an existing one is left alone if
    /// it is a directory that nobody outside the owner and the group can write. Returns false with `errno` set
    /// when it could not be made, or when what is there is a symbolic link (ELOOP: the store never follows one
    /// under it, which could lead its files anywhere), not a directory (ENOTDIR) or open to others (EPERM).
    public func makeDirectory(_ path: String) -> Bool {
        if mkdir(path, directoryMode) == 0 { return chmod(path, directoryMode) == 0 }
        guard errno == EEXIST else { return false }
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard info.st_mode & 0o002 == 0 else {
                errno = EPERM
                return false
            }
            return true
        case S_IFLNK:
            errno = ELOOP
            return false
        default:
            errno = ENOTDIR
            return false
        }
    }

    /// Whether the current process may write a store shared this way and owned by `owner`: its owner, root,
    /// or, for a team store, a member of the group.
    public func admits(owner: UInt32) -> Bool {
        if geteuid() == owner || geteuid() == 0 { return true }
        guard case .group(let gid) = self else { return false }
        return Self.currentGroups().contains(gid)
    }

    /// The groups of the current process: its effective group and its supplementary groups.
    static func currentGroups() -> [UInt32] {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        let filled = groups.isEmpty ? 0 : getgroups(count, &groups)
        return [getegid()] + groups.prefix(Int(max(filled, 0)))
    }
}

extension StoreSharing {
    /// Makes `path` a team store's directory for `group` (a name or a number): created when missing, given to
    /// the group and set to `3770`. Only a directory without store files is changed, so an existing store is
    /// never half converted.
    public static func prepareTeamDirectory(_ path: String, group: String) throws(StoreError) {
        guard let gid = groupID(group) else {
            throw .badDirectory(path: path, reason: "there is no group \"\(group)\" on this host (see getent group; groupadd \(group) makes one)")
        }
        let layout = StoreLayout(directory: path)
        if FileIO.exists(layout.snapshot) || FileIO.exists(layout.journal) {
            throw .badDirectory(path: path, reason: "already holds a store; to share it with \(group), as its owner run: chgrp -R \(group) \(path) && chmod 3770 \(path) && chmod 660 \(path)/*")
        }
        if let why = FileIO.makeDirectories(path) {
            throw .badDirectory(path: path, reason: "could not create the store directory: \(why)")
        }
        guard chown(path, uid_t.max, gid) == 0 else {
            let reason = errno == EPERM
                ? "cannot give it to group \(group): you are not a member (id -Gn lists your groups; a new membership needs a new login)"
                : "cannot give it to group \(group): \(String(cString: strerror(errno)))"
            throw .badDirectory(path: path, reason: reason)
        }
        guard chmod(path, mode_t(teamStoreDirectoryMode)) == 0 else {
            throw FileIO.fail("changing the mode of", path)
        }
    }

    /// The id of a group given by name or number.
    static func groupID(_ group: String) -> UInt32? {
        if let entry = getgrnam(group) { return entry.pointee.gr_gid }
        if let number = UInt32(group), getgrgid(number) != nil { return number }
        return nil
    }
}
