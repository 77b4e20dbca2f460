import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// What the `/` filter searches: for each task, one lower-cased text of its id, title, service, type and every
/// resource's id and name, built once per catalog version (not on status changes), and the last answer, so
/// that a query that grows is answered from the tasks that matched before it grew.
struct TaskSearch: Equatable {
    /// The catalog `texts` was built from (held, so that it is never mistaken for a new one).
    private var catalogVersion: CatalogVersion?
    private var texts: [String: [UInt8]] = [:]
    private var lastNeedle = ""
    private var lastMatches: Set<String> = []

    /// The ids of the tasks of `fleet` that contain `needle` (already lower-cased).
    mutating func matches(_ needle: String, in fleet: FleetState) -> Set<String> {
        if catalogVersion != fleet.catalogVersion {
            rebuild(fleet)
        }
        let bytes = Array(needle.utf8)
        // A longer query matches a subset of what any query it contains matched.
        let candidates: [String] = !lastNeedle.isEmpty && needle.contains(lastNeedle) ? Array(lastMatches) : fleet.tasks.map(\.id)
        var found = Set<String>()
        found.reserveCapacity(candidates.count)
        for id in candidates where Self.contains(texts[id] ?? [], bytes) { found.insert(id) }
        lastNeedle = needle
        lastMatches = found
        return found
    }

    private mutating func rebuild(_ fleet: FleetState) {
        catalogVersion = fleet.catalogVersion
        lastNeedle = ""
        lastMatches = []
        texts = [:]
        texts.reserveCapacity(fleet.tasks.count)
        for task in fleet.tasks {
            // A newline cannot be typed into the filter, so no match spans two fields.
            var text = [task.id, task.title, task.service.rawValue, task.type.rawValue].joined(separator: "\n")
            for resource in task.resources {
                text += "\n"
                text += resource.id
                text += "\n"
                text += resource.name
            }
            texts[task.id] = Array(text.lowercased().utf8)
        }
    }

    /// Whether `haystack` contains `needle`, byte for byte (UTF-8 of lower-cased text on both sides).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                // memchr finds each place the first byte occurs (vectorised in libc); memcmp checks the rest there.
                guard let base = h.baseAddress, let first = n.first else { return false }
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
