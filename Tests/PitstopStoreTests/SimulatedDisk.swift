import Foundation
@testable import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// A fault-injecting file-system seam that also models what a disk keeps through a power cut.
///
/// Calls are numbered from 0 as the store makes them. `stopAt` freezes the "process" at that call: it and
/// every later call do nothing and fail, as if the process had died between two system calls. `faults`
/// fails, shortens or fakes single calls. Meanwhile the model tracks, for the store directory, which names
/// have been made durable by a directory fsync and which bytes of each file by a file fsync, so that
/// `cutPower` can rewrite the directory as a disk that lost everything not yet synced would leave it.
final class SimulatedDisk: FileSystemSeam, @unchecked Sendable {
    /// How much of what was never synced survives a power cut.
    enum Loss: String, CaseIterable, CustomStringConvertible {
        /// A process crash: the kernel keeps everything.
        case processCrash
        /// Power cut: unsynced bytes and unsynced directory changes are all lost.
        case everythingUnsynced
        /// Power cut after the kernel wrote out the directory changes but not the file data: names move
        /// (renames, links) while unsynced contents are lost.
        case unsyncedData
        /// Power cut in the middle of writing out data: directory changes kept, and the first half of what
        /// was appended to each file since its last fsync (a torn write).
        case halfOfUnsyncedData
        var description: String { rawValue }
    }

    private let lock = NSLock()
    let directory: String
    private(set) var calls: [FileCall] = []
    var stopAt: Int?
    var faults: [Int: FaultAction] = [:]
    /// Decides faults by call rather than by number; consulted when `faults` has no entry.
    var rule: ((FileCall) -> FaultAction)?
    private(set) var stopped = false

    // The model: our own inode numbers, so that reused kernel inode numbers cannot mix files up.
    private var nextInode = 0
    private var inodeOfKernelInode: [UInt64: Int] = [:]
    private var names: [String: Int] = [:]
    private var durableNames: [String: Int] = [:]
    private var durableContent: [Int: [UInt8]] = [:]

    init(directory: String) {
        self.directory = directory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = "\(directory)/\(name)"
            guard let identity = FileIO.identity(path) else { continue }
            let inode = inodeFor(kernelInode: identity.inode, fresh: false)
            names[path] = inode
            durableContent[inode] = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        }
        durableNames = names
    }

    var callCount: Int { lock.withLock { calls.count } }

    func before(_ call: FileCall) -> FaultAction {
        lock.withLock {
            let number = calls.count
            calls.append(call)
            if stopped || number == stopAt {
                stopped = true
                return .fail(EIO)
            }
            return faults[number] ?? rule?(call) ?? .proceed
        }
    }

    func after(_ call: FileCall, fd: Int32) {
        lock.withLock {
            switch call {
            case .create(let path):
                guard let identity = FileIO.identity(fd: fd), isInDirectory(path) else { return }
                if names[path] == nil || inodeOfKernelInode[identity.inode] != names[path] {
                    names[path] = inodeFor(kernelInode: identity.inode, fresh: true)
                }
            case .sync(let path):
                guard isInDirectory(path), let identity = FileIO.identity(fd: fd), let inode = inodeOfKernelInode[identity.inode] else { return }
                // Through /proc: the store's descriptor may be write-only.
                durableContent[inode] = [UInt8](FileManager.default.contents(atPath: "/proc/self/fd/\(fd)") ?? Data())
            case .syncDirectory(let path):
                if path == directory { durableNames = names }
            case .rename(let from, let to):
                names[to] = names.removeValue(forKey: from)
            case .link(let from, let to):
                names[to] = names[from]
            case .unlink(let path):
                names[path] = nil
            case .write, .truncate:
                break
            }
        }
    }

    /// Rewrites the directory as the disk would hold it after the process stopped and `loss` happened.
    func cutPower(_ loss: Loss) {
        lock.withLock {
            guard loss != .processCrash else { return }
            let survivors = loss == .everythingUnsynced ? durableNames : names
            var current: [Int: [UInt8]] = [:]
            if loss == .halfOfUnsyncedData {
                for (path, inode) in names { current[inode] = [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }
            }
            for path in Set(names.keys).union(durableNames.keys) where !path.hasSuffix("/lock") {
                unlink(path)
            }
            for (path, inode) in survivors where !path.hasSuffix("/lock") {
                var bytes = durableContent[inode] ?? []
                if let now = current[inode], now.count > bytes.count, now.starts(with: bytes) {
                    bytes = Array(now[..<(bytes.count + (now.count - bytes.count) / 2)])
                }
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                precondition(fd >= 0, "cannot rewrite \(path)")
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
    }

    private func isInDirectory(_ path: String) -> Bool {
        (path as NSString).deletingLastPathComponent == directory
    }

    private func inodeFor(kernelInode: UInt64, fresh: Bool) -> Int {
        if !fresh, let known = inodeOfKernelInode[kernelInode] { return known }
        nextInode += 1
        inodeOfKernelInode[kernelInode] = nextInode
        return nextInode
    }
}
