/// Events a store keeps on disk and reads when asked, so that opening a store never decodes the whole log.
/// Immutable once made: it covers a fixed prefix of the log; what comes after lives in `EventLog.recent`.
public protocol EventArchive: AnyObject, Sendable {
    /// How many events it holds (positions `0..<count`).
    var count: Int { get }
    /// The sequence number of its last event, 0 when empty.
    var lastSequence: UInt64 { get }
    /// The event at `position`. A part of the file that can no longer be read gives an event that says so
    /// (kind `unreadable`) rather than stopping the reader.
    func event(at position: Int) -> Event
    /// Positions of the events about `taskID`, oldest first (through an index built on first use).
    func positions(ofTask taskID: String) -> [Int]
    /// Positions of the events of `kind`, oldest first (through the same index).
    func positions(ofKind kind: EventKind) -> [Int]
    /// Positions of the events about the machine `resourceID`, in any task, oldest first (the same index).
    func positions(ofResource resourceID: String) -> [Int]
    /// Builds the index now if it is not built (a console does it on another thread after opening, so that
    /// its first lookup does not wait for it); a lookup made meanwhile waits for this one.
    func prepareIndex()
    /// Damage found so far in records read since opening (a sealed record may be checked only when read), one
    /// line each naming the file and the record's offset; empty while none is found.
    var damage: [String] { get }
    /// Reads and checks every record now; returns all damage found (as `damage` does afterwards).
    func verifyAll() -> [String]
}

/// The audit log: an archive read on demand from disk, then the events recorded since, held in memory.
/// A random-access collection by position (oldest first), so callers index, count and take the newest as
/// with an array; whole walks decode every archived event and belong to tests and exports, not to frames.
public struct EventLog: RandomAccessCollection, Sendable, Equatable {
    /// The on-disk part, if any.
    public private(set) var archive: (any EventArchive)?
    /// Events after the archive, oldest first.
    public private(set) var recent: [Event]
    private var archivedCount: Int

    /// A log held wholly in memory.
    public init(_ events: [Event] = []) {
        archive = nil
        recent = events
        archivedCount = 0
    }

    /// A log whose first events are `archive`'s and whose later ones are `recent`.
    public init(archive: any EventArchive, recent: [Event] = []) {
        self.archive = archive
        self.recent = recent
        archivedCount = archive.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { archivedCount + recent.count }

    public subscript(position: Int) -> Event {
        position < archivedCount ? archive!.event(at: position) : recent[position - archivedCount]
    }

    /// The sequence number of the newest event, 0 for an empty log.
    public var lastSequence: UInt64 { recent.last?.sequence ?? archive?.lastSequence ?? 0 }

    /// Adds events at the end.
    public mutating func append(contentsOf events: [Event]) {
        recent.append(contentsOf: events)
    }

    /// Positions of the events about `taskID`, oldest first.
    public func positions(ofTask taskID: String) -> [Int] {
        positions(archive?.positions(ofTask: taskID)) { $0.taskID == taskID }
    }

    /// Positions of the events about the machine `resourceID`, in any task, oldest first.
    public func positions(ofResource resourceID: String) -> [Int] {
        positions(archive?.positions(ofResource: resourceID)) { $0.resourceID == resourceID }
    }

    /// The events about the machine `resourceID`, in any task, oldest first.
    public func events(ofResource resourceID: String) -> [Event] { positions(ofResource: resourceID).map { self[$0] } }

    /// Positions of the events of `kind`, oldest first.
    public func positions(ofKind kind: EventKind) -> [Int] {
        positions(archive?.positions(ofKind: kind)) { $0.kind == kind }
    }

    /// What the archive's index found, then the recent events that match.
    private func positions(_ archived: [Int]?, recentMatching matches: (Event) -> Bool) -> [Int] {
        var found = archived ?? []
        for (offset, event) in recent.enumerated() where matches(event) { found.append(archivedCount + offset) }
        return found
    }

    /// The events about `taskID`, oldest first.
    public func events(ofTask taskID: String) -> [Event] { positions(ofTask: taskID).map { self[$0] } }

    /// The events of `kind`, oldest first.
    public func events(ofKind kind: EventKind) -> [Event] { positions(ofKind: kind).map { self[$0] } }

    /// Two logs are equal when they hold the same events, wherever they are kept.
    public static func == (a: EventLog, b: EventLog) -> Bool {
        a.count == b.count && a.lastSequence == b.lastSequence && a.elementsEqual(b)
    }
}

extension EventKind {
    /// Not an event that happened: an archived one the store could no longer read (its message says why).
    public static let unreadable = EventKind(rawValue: "unreadable")
}
