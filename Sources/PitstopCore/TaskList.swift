import Dispatch
import Foundation
public import Synchronization

/// What a fleet knows of a task without decoding its resources: a snapshot keeps one for each task, so that a
/// command that counts or lists tasks decodes none of them.
public struct TaskSummary: Sendable, Equatable {
    /// How many resources the task has.
    public var resourceCount: Int
    /// Its resources by status.
    public var counts: StatusCounts

    /// A summary as stored.
    public init(resourceCount: Int, counts: StatusCounts) {
        self.resourceCount = resourceCount
        self.counts = counts
    }

    /// The summary of a decoded task.
    public init(_ task: MaintenanceTask) {
        self.init(resourceCount: task.resources.count, counts: StatusCounts(task.resources))
    }

    /// The task's aggregate status.
    public var status: TaskStatus { TaskStatus(counts: counts) }
}

/// Where a lazily loaded fleet's tasks come from (a store's mapped snapshot). Positions are the tasks' places
/// in the fleet as loaded. Every method may be called from any thread.
public protocol TaskSource: AnyObject, Sendable {
    /// How many tasks it holds.
    var count: Int { get }
    /// The id of the task at `position`, without decoding the task.
    func id(at position: Int) -> String
    /// The summary of the task at `position`, without decoding the task.
    func summary(at position: Int) -> TaskSummary
    /// The task at `position` with its resources left out (`resources` is empty): what a table of tasks shows.
    func head(at position: Int) -> MaintenanceTask
    /// The task at `position`, decoded.
    func task(at position: Int) -> MaintenanceTask
    /// The tasks at `positions`, decoded together (sharing the texts many of them repeat).
    func tasks(at positions: ArraySlice<Int>) -> [MaintenanceTask]
    /// Every task is decoded and kept elsewhere: the source may let go of what it holds for decoding.
    func everyTaskDecoded()
    /// The calling thread is about to decode the tasks at `positions`: the source may make room for them first.
    func prepareToDecode(_ positions: ArraySlice<Int>)
    /// Positions of the tasks that may hold a resource with this id: every one that does, perhaps a few that
    /// do not (the caller checks).
    func positions(mayHoldMachine id: String) -> [Int]
}

/// A fleet's tasks, in order: an array, except that a fleet loaded from a snapshot decodes each task the first
/// time it is read (from any thread), so that a command reading one task out of thousands decodes one.
///
/// The tasks as loaded live in a cache shared by every copy of the list (what the snapshot says never changes);
/// a task written since lives in the list's own array, with the value semantics of an array. Reading a loaded
/// task takes a lock until every one is decoded (`decodeAll`, which the console and the engine run in the
/// background after opening), and one atomic load after; `adoptDecoded` then makes the list an array again
/// (a store does it on its next poll), whose reads inline to an array's.
public struct TaskList: RandomAccessCollection, MutableCollection, Sendable, ExpressibleByArrayLiteral, Equatable {
    /// Tasks written since loading (every task, without a cache); placeholders where `own` is false.
    @usableFromInline var tasks: [MaintenanceTask]
    /// Which positions `tasks` holds (empty without a cache: then all of them).
    @usableFromInline var own: [Bool]
    @usableFromInline var cache: LoadedTasks?

    /// No tasks.
    public init() { self.init([]) }

    /// These tasks, decoded.
    public init(_ tasks: some Sequence<MaintenanceTask>) {
        self.tasks = Array(tasks)
        own = []
        cache = nil
    }

    public init(arrayLiteral elements: MaintenanceTask...) { self.init(elements) }

    /// The tasks of `source`, each decoded when first read.
    public init(source: any TaskSource) {
        let loaded = LoadedTasks(source: source)
        tasks = Array(repeating: LoadedTasks.placeholder, count: source.count)
        own = Array(repeating: false, count: source.count)
        cache = loaded
    }

    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { tasks.count }
    @inlinable public var indices: Range<Int> { 0..<tasks.count }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    @inlinable public subscript(position: Int) -> MaintenanceTask {
        // An address, not a copy: `tasks[i].resources[j]`, or `let task = tasks[i]` read field by field, must
        // not copy the whole task, as with an array. Both addresses stay valid while `self` is borrowed: a
        // decoded slot is never written again and lives as long as the cache this list holds, and the array's
        // elements move only when the array is changed, which a borrowed `self` cannot be.
        @inline(__always) unsafeAddress {
            if let cache, !own[position] { return UnsafePointer(cache.slot(position)) }
            precondition(position >= 0 && position < tasks.count, "Index out of range")
            return tasks.withUnsafeBufferPointer { $0.baseAddress.unsafelyUnwrapped + position }
        }
        set {
            tasks[position] = newValue
            if cache != nil { own[position] = true }
        }
        _modify {
            if let cache, !own[position] {
                tasks[position] = cache.slot(position).pointee
                own[position] = true
            }
            yield &tasks[position]
        }
    }

    /// Adds a task at the end.
    public mutating func append(_ task: MaintenanceTask) {
        tasks.append(task)
        if cache != nil { own.append(true) }
    }

    /// The tasks as an array: the list's own once every task is decoded and adopted (no copy), a copy before.
    /// For loops that read tasks millions of times (a sort's comparisons), where an array's reads are cheapest.
    /// Tasks not decoded yet are decoded first by `decodeAll`: a caller wanting every task (the watch's first
    /// frame, a calendar opened before the background pass is done) waits half as long as reading them in turn.
    public var array: [MaintenanceTask] {
        guard cache != nil else { return tasks }
        decodeAll()
        return Array(self)
    }

    /// Whether reading any task decodes nothing more (always, for a list not loaded from a snapshot).
    public var isFullyDecoded: Bool { cache?.isComplete ?? true }

    /// Once every task is decoded, holds them all in the list's own array and lets the snapshot go: reads are
    /// then an array's. Does nothing before (or without a snapshot).
    public mutating func adoptDecoded() {
        guard let cache, cache.isComplete else { return }
        for position in own.indices where !own[position] { tasks[position] = cache.slot(position).pointee }
        own = []
        self.cache = nil
    }

    /// Decodes every loaded task not yet decoded, on `threads` threads: the console and the engine call it in
    /// the background after opening, so that their later reads decode nothing and take no lock.
    public func decodeAll(threads: Int = 2) { cache?.decodeAll(threads: threads) }

    /// The id of the task at `position`, decoding nothing.
    public func id(at position: Int) -> String {
        guard let cache, !own[position] else { return tasks[position].id }
        return cache.peek(position, { $0.id(at: position) }, { $0.id })
    }

    /// The summary of the task at `position`, decoding nothing a snapshot summarised.
    public func summary(at position: Int) -> TaskSummary {
        guard let cache, !own[position] else { return TaskSummary(tasks[position]) }
        return cache.peek(position, { $0.summary(at: position) }, { TaskSummary($0) })
    }

    /// The task at `position` with its resources left out (`resources` is empty), decoding none of them.
    public func head(at position: Int) -> MaintenanceTask {
        func strip(_ task: MaintenanceTask) -> MaintenanceTask {
            var head = task
            head.resources = []
            return head
        }
        guard let cache, !own[position] else { return strip(tasks[position]) }
        return cache.peek(position, { $0.head(at: position) }, strip)
    }

    /// Resources in all tasks, counted without decoding any a snapshot summarised.
    public var resourceCount: Int { indices.reduce(0) { $0 + summary(at: $1).resourceCount } }

    /// The snapshot this list decodes from, if it was loaded lazily.
    public var source: (any TaskSource)? { cache?.source }

    /// Positions of tasks written since loading (all of them, for a list not loaded from a snapshot).
    public var writtenPositions: [Int] {
        cache == nil ? Array(indices) : own.indices.filter { own[$0] }
    }

    public static func == (a: TaskList, b: TaskList) -> Bool { a.elementsEqual(b) }
}

/// The tasks a snapshot holds, decoded on first read and kept, shared by every copy of the fleet loaded from
/// it. A slot is written once, under the lock, while its flag is false; reads take the lock until every slot
/// is decoded (`complete`, set with release ordering), after which nothing writes and reads take none.
@usableFromInline final class LoadedTasks: @unchecked Sendable {
    static let placeholder = MaintenanceTask(id: "", title: "", service: .mysql, requirement: .recommended,
                                             recommendedAt: Date(timeIntervalSince1970: 0), type: .osUpdate)
    let source: any TaskSource
    private let count: Int
    @usableFromInline let slots: UnsafeMutablePointer<MaintenanceTask>
    private let decoded: UnsafeMutablePointer<Bool>
    private var remaining: Int
    private let lock = Mutex(())
    @usableFromInline let complete: Atomic<Bool>

    init(source: any TaskSource) {
        self.source = source
        count = source.count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: Self.placeholder, count: count)
        decoded = .allocate(capacity: max(count, 1))
        decoded.initialize(repeating: false, count: count)
        remaining = count
        complete = Atomic(count == 0)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
        decoded.deallocate()
    }

    var isComplete: Bool { complete.load(ordering: .acquiring) }

    /// The slot of the task at `position`, decoded: it is never written again, so it may be read without the
    /// lock for as long as this cache lives.
    @inlinable func slot(_ position: Int) -> UnsafeMutablePointer<MaintenanceTask> {
        if complete.load(ordering: .acquiring) { return slots + position }
        return decodedSlot(position)
    }

    /// `slot` before every task is decoded.
    @usableFromInline func decodedSlot(_ position: Int) -> UnsafeMutablePointer<MaintenanceTask> {
        if lock.withLock({ _ in decoded[position] }) { return slots + position }
        // Decoded outside the lock, so that readers of other tasks (and `decodeAll`) do not wait on this one;
        // two threads may decode the same task, and the first to store it wins.
        let task = source.task(at: position)
        lock.withLock { _ in
            if !decoded[position] { store(task, at: position) }
        }
        return slots + position
    }

    /// A field of the task if it is decoded, else what the source says without decoding it.
    func peek<T>(_ position: Int, _ fromSource: (any TaskSource) -> T, _ fromTask: (MaintenanceTask) -> T) -> T {
        if complete.load(ordering: .acquiring) { return fromTask(slots[position]) }
        let task: MaintenanceTask? = lock.withLock { _ in decoded[position] ? slots[position] : nil }
        return task.map(fromTask) ?? fromSource(source)
    }

    /// Called with the lock held.
    private func store(_ task: MaintenanceTask, at position: Int) {
        slots[position] = task
        decoded[position] = true
        remaining -= 1
        if remaining == 0 {
            complete.store(true, ordering: .releasing)
            source.everyTaskDecoded()
        }
    }

    func decodeAll(threads: Int) {
        guard !complete.load(ordering: .acquiring) else { return }
        let missing = lock.withLock { _ in (0..<count).filter { !decoded[$0] } }
        let workers = max(1, min(threads, missing.count))
        let work: @Sendable (Int) -> Void = { worker in
            let mine = missing[(missing.count * worker / workers)..<(missing.count * (worker + 1) / workers)]
            self.source.prepareToDecode(mine)
            // In batches: each shares its repeated texts, and the lock is taken once per batch.
            var start = mine.startIndex
            while start < mine.endIndex {
                let batch = mine[start..<min(start + 256, mine.endIndex)]
                let decodedBatch = self.source.tasks(at: batch)
                self.lock.withLock { _ in
                    for (position, task) in zip(batch, decodedBatch) where !self.decoded[position] { self.store(task, at: position) }
                }
                start = batch.endIndex
            }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
    }
}
