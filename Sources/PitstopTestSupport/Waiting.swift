public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks `condition` every `interval` seconds until it holds or `limit` seconds pass; returns whether it held
/// (checked once more at the deadline). The one way tests wait for another process or thread: on a condition,
/// with a deadline, never a bare sleep.
@discardableResult
public func waitUntil(_ limit: TimeInterval = 10, every interval: TimeInterval = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limit)
    while Date() < deadline {
        if try condition() { return true }
        usleep(useconds_t(interval * 1_000_000))
    }
    return try condition()
}
