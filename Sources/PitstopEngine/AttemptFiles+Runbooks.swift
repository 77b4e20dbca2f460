import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension AttemptFiles {
    /// `STORE/runbooks`: the programs the store's owner installed for tasks to name (SPEC §13).
    public var runbooksDirectory: String { storeDirectory + "/runbooks" }

    /// The path of runbook `name`, checked just before it runs: the directory and the file belong to the
    /// store's owner, neither is writable by its group or others, neither is a symbolic link, and the file is
    /// an executable regular file. Anything else would let a member change what the engine runs.
    public func runbook(_ name: String) throws(AttemptError) -> String {
        func refuse(_ reason: String) -> AttemptError { .runbookRefused(name: name, reason: reason) }
        var store = stat()
        guard stat(storeDirectory, &store) == 0 else { throw .io(path: storeDirectory, operation: "inspect", errno: errno) }
        let owner = store.st_uid
        let path = "\(runbooksDirectory)/\(name)"
        for (label, file, wantDirectory) in [("the directory \(runbooksDirectory)", runbooksDirectory, true), (path, path, false)] {
            var info = stat()
            guard lstat(file, &info) == 0 else {
                throw refuse(errno == ENOENT ? "\(label) does not exist; the store's owner installs runbooks there" : "cannot inspect \(label): \(String(cString: strerror(errno)))")
            }
            let type = info.st_mode & S_IFMT
            guard type == (wantDirectory ? S_IFDIR : S_IFREG) else {
                throw refuse("\(label) is not a \(wantDirectory ? "directory" : "regular file") (symbolic links are not followed)")
            }
            guard info.st_uid == owner else {
                throw refuse("\(label) belongs to uid \(info.st_uid), not to the store's owner (uid \(owner)); the owner runs chown")
            }
            guard info.st_mode & 0o022 == 0 else {
                let mode = String(info.st_mode & 0o7777, radix: 8)
                throw refuse("\(label) can be changed by its group or others (mode \(mode)); the store's owner runs chmod go-w \(file)")
            }
        }
        guard access(path, X_OK) == 0 else { throw refuse("\(path) is not executable; the store's owner runs chmod +x \(path)") }
        return path
    }
}
