public import Foundation
import PitstopCore
public import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// How a viewer follows a store: it sleeps until the journal changes (inotify, where the kernel offers it),
/// a key arrives on one of `extraDescriptors`, or the interval passes; then `poll()` reads only what is new.
/// A serial loop calls it, so a poll can never pile up behind another: a late one is simply the next one.
public final class StoreFollower {
    /// Why `wait` returned.
    public struct Wake: OptionSet, Sendable {
        /// The bits.
        public let rawValue: Int
        /// Reasons from bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The store changed (or may have, without inotify).
        public static let store = Wake(rawValue: 1)
        /// Input is waiting.
        public static let input = Wake(rawValue: 2)
        /// The interval passed.
        public static let timeout = Wake(rawValue: 4)
    }

    /// The store followed.
    public let store: Store
    private let inotifyFD: Int32
    /// Whether the kernel tells us about changes; without it the follower polls on every interval.
    public var usesInotify: Bool { inotifyFD >= 0 }

    /// Follows a store, with inotify where the kernel offers it.
    public init(store: Store) {
        self.store = store
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0, inotify_add_watch(fd, store.directory, UInt32(IN_MODIFY | IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE)) < 0 {
            close(fd)
            inotifyFD = -1
        } else {
            inotifyFD = fd
        }
    }

    deinit { if inotifyFD >= 0 { close(inotifyFD) } }

    /// Blocks up to `timeout` seconds for a store change or readable input on `extraDescriptors`.
    public func wait(timeout: TimeInterval, extraDescriptors: [Int32] = []) -> Wake {
        var fds = extraDescriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if inotifyFD >= 0 { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
        let ready = Glibc.poll(&fds, nfds_t(fds.count), Int32(max(0, timeout * 1000)))
        guard ready > 0 else { return usesInotify ? .timeout : [.timeout, .store] }
        var wake: Wake = []
        for (index, entry) in fds.enumerated() where entry.revents != 0 {
            if index < extraDescriptors.count { wake.insert(.input) } else { wake.insert(.store) }
        }
        if wake.contains(.store) { drainNotifications() }
        return wake
    }

    private func drainNotifications() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(inotifyFD, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Reads what is new since the last poll (see `Store.poll`).
    public func poll() throws -> StoreUpdate {
        let update = try store.poll()
        if update == .reloaded { store.returnFreedMemory() }
        return update
    }
}
