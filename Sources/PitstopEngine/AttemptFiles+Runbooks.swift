import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension AttemptFiles {
    /// `STORE/runbooks`: the programs the store's owner installed for tasks to name (SPEC §13).
    public var runbooksDirectory: String { storeDirectory + "/runbooks" }

    /// The first descriptor a supervisor keeps for its steps (after the record on 3 and the machine lock on 4).
    static let firstKeptDescriptor: Int32 = 5

    /// Runbook `name`, opened and checked just before it runs, as a descriptor the caller closes: the directory
    /// and the file belong to the store's owner, neither is writable by its group or others, neither is a
    /// symbolic link, and the file is an executable regular file. Checked by descriptor and run from it
    /// (`/dev/fd/N`), so that a member who renames the directory or the file after the check changes nothing of
    /// what runs (SPEC §29).
    public func openRunbook(_ name: String) throws(AttemptError) -> Int32 {
        func refuse(_ reason: String) -> AttemptError { .runbookRefused(name: name, reason: reason) }
        var store = stat()
        guard stat(storeDirectory, &store) == 0 else { throw .io(path: storeDirectory, operation: "inspect", errno: errno) }
        let owner = store.st_uid
        let directory = Glibc.open(runbooksDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directory >= 0 else {
            switch errno {
            case ENOENT: throw refuse("the directory \(runbooksDirectory) does not exist; the store's owner installs runbooks there")
            case ELOOP, ENOTDIR: throw refuse("the directory \(runbooksDirectory) is not a directory (symbolic links are not followed)")
            default: throw refuse("cannot open the directory \(runbooksDirectory): \(String(cString: strerror(errno)))")
            }
        }
        defer { close(directory) }
        try check(directory, "the directory \(runbooksDirectory)", runbooksDirectory, owner: owner, type: S_IFDIR, name: name)
        let path = "\(runbooksDirectory)/\(name)"
        // O_NONBLOCK: a FIFO put in a runbook's place must not hang the engine before the type check.
        let file = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard file >= 0 else {
            switch errno {
            case ENOENT: throw refuse("\(path) does not exist; the store's owner installs runbooks there")
            case ELOOP: throw refuse("\(path) is not a regular file (symbolic links are not followed)")
            default: throw refuse("cannot open \(path): \(String(cString: strerror(errno)))")
            }
        }
        do {
            try check(file, path, path, owner: owner, type: S_IFREG, name: name)
        } catch {
            close(file)
            throw error
        }
        return file
    }

    private func check(_ fd: Int32, _ label: String, _ path: String, owner: uid_t, type: mode_t, name: String) throws(AttemptError) {
        func refuse(_ reason: String) -> AttemptError { .runbookRefused(name: name, reason: reason) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw refuse("cannot inspect \(label): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == type else {
            throw refuse("\(label) is not a \(type == S_IFDIR ? "directory" : "regular file") (symbolic links are not followed)")
        }
        guard info.st_uid == owner else {
            throw refuse("\(label) belongs to uid \(info.st_uid), not to the store's owner (uid \(owner)); the owner runs chown")
        }
        guard info.st_mode & 0o022 == 0 else {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw refuse("\(label) can be changed by its group or others (mode \(mode)); the store's owner runs chmod go-w \(path)")
        }
        if type == S_IFREG, info.st_mode & (geteuid() == 0 ? 0o111 : S_IXUSR) == 0 {
            throw refuse("\(path) is not executable; the store's owner runs chmod +x \(path)")
        }
    }
}
