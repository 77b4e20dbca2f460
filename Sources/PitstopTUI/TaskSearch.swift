import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// The filter's text of every task of one catalog version: for each task, one lower-cased, NFC-normalised text
/// of its id, title, service, type and every resource's id and name. Immutable, so a console builds it on
/// another thread as it opens and the first key typed into the filter does not wait for it.
final class TaskSearchIndex: Equatable, Sendable {
    /// The catalog it was built from (held, so that it is never mistaken for a new one).
    let catalogVersion: CatalogVersion
    let texts: [String: [UInt8]]

    init(_ tasks: [MaintenanceTask], catalogVersion: CatalogVersion) {
        self.catalogVersion = catalogVersion
        var texts: [String: [UInt8]] = [:]
        texts.reserveCapacity(tasks.count)
        for task in tasks {
            // A newline cannot be typed into the filter, so no match spans two fields.
            var text = [task.id, task.title, task.service.rawValue, task.type.rawValue].joined(separator: "\n")
            for resource in task.resources {
                text += "\n"
                text += resource.id
                text += "\n"
                text += resource.name
            }
            texts[task.id] = Array(TaskSearch.normalized(text).utf8)
        }
        self.texts = texts
    }

    static func == (a: TaskSearchIndex, b: TaskSearchIndex) -> Bool { a === b }
}

/// What the `/` filter searches (`TaskSearchIndex`) and its last answer, so that a query that grows is answered
/// from the tasks that matched before it grew.
struct TaskSearch: Equatable {
    private(set) var index: TaskSearchIndex?
    private var lastNeedle = ""
    private var lastMatches: Set<String> = []

    /// Text as the filter compares it: canonical composition (a Korean name pasted decomposed, NFD, matches
    /// the same name composed), then lower case.
    static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// Takes an index built elsewhere, if it is of the fleet's catalog and none is held yet.
    mutating func adopt(_ built: TaskSearchIndex, for fleet: FleetState) {
        guard built.catalogVersion == fleet.catalogVersion, index?.catalogVersion != fleet.catalogVersion else { return }
        index = built
        lastNeedle = ""
        lastMatches = []
    }

    /// The ids of the tasks of `fleet` that contain `needle` (already `normalized`).
    mutating func matches(_ needle: String, in fleet: FleetState) -> Set<String> {
        if index?.catalogVersion != fleet.catalogVersion {
            index = TaskSearchIndex(Array(fleet.tasks), catalogVersion: fleet.catalogVersion)
            lastNeedle = ""
            lastMatches = []
        }
        let texts = index?.texts ?? [:]
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
