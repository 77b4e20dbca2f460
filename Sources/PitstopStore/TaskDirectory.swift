import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot's table of its tasks (record type `taskDirectory`, written after the task records): where each
/// task's record starts, its resource count and its resources by status, and every resource id's hash beside
/// the position of its task, sorted by hash. With it a store opens without decoding a task: one is decoded
/// when first read, a count or a status comes from the table, and the tasks holding a machine are found by
/// a binary search. A snapshot without one (an older version's) is decoded whole, as before.
///
/// Layout, little-endian, after the record's type byte: u32 version (1), u32 tasks, u32 machines; per task
/// u64 record offset, u32 resources, six u32 counts (pending, reserved, in progress, completed, failed,
/// excluded); per machine a u64 whose high 40 bits are a hash of a resource id and low 24 the position of its
/// task, sorted. (A fleet of more than 2^24 tasks gets no directory, and is decoded whole.)
#if !_endian(little)
#error("TaskDirectory writes its entries as the host's bytes: a big-endian host needs them swapped")
#endif
struct TaskDirectory {
    static let version: UInt32 = 1
    static let headerSize = 12
    static let taskEntrySize = 36
    static let positionBits: UInt64 = 24
    static let maximumTasks = 1 << 24

    /// What a snapshot writer gathers for one run of tasks, in order.
    struct Part {
        var offsets: [Int] = []
        var summaries: [TaskSummary] = []
        /// Hash and task position of every resource, packed, sorted.
        var machines: [UInt64] = []

        mutating func add(_ task: MaintenanceTask, recordOffset: Int, position: Int) {
            offsets.append(recordOffset)
            // One pass over the resources for both the counts and the index.
            var counts = StatusCounts()
            let resources = task.resources
            for index in resources.indices {
                counts.add(resources[index].status)
                machines.append(TaskDirectory.entry(resources[index].id, position: position))
            }
            summaries.append(TaskSummary(resourceCount: resources.count, counts: counts))
        }

        /// Sorts the entries, which were added in task order: a stable radix sort on the hash's five bytes leaves
        /// equal hashes in that order, so the entries end up in plain numeric order (a comparison sort of the
        /// benchmark fleet's 100,000 took a fifth of a snapshot's write).
        mutating func finish() { TaskDirectory.sortByHash(&machines) }
    }

    /// Sorts entries whose low 24 bits (the position) already ascend within equal hashes.
    static func sortByHash(_ values: inout [UInt64]) {
        guard values.count > 1 else { return }
        var scratch = [UInt64](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 257)
        for pass in 0..<5 {
            let shift = positionBits + UInt64(pass * 8)
            values.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { slots in
                        for index in slots.indices { slots[index] = 0 }
                        for value in source { slots[Int((value >> shift) & 0xFF) + 1] += 1 }
                        for index in 1..<257 { slots[index] += slots[index - 1] }
                        for value in source {
                            let bucket = Int((value >> shift) & 0xFF)
                            target[slots[bucket]] = value
                            slots[bucket] += 1
                        }
                    }
                }
            }
            swap(&values, &scratch)
        }
    }

    /// A resource id's hash and its task's position, as one sortable number.
    static func entry(_ id: String, position: Int) -> UInt64 {
        hash(id) << positionBits | UInt64(position)
    }

    /// The record body (type byte included) for parts in order; `shift[i]` is added to part i's offsets.
    static func body(_ parts: [Part], shifts: [Int]) -> [UInt8] {
        let tasks = parts.reduce(0) { $0 + $1.offsets.count }
        let machines = parts.reduce(0) { $0 + $1.machines.count }
        var w = ByteWriter(capacity: 1 + headerSize + tasks * taskEntrySize + machines * 8)
        w.rawBytes([Frame.RecordType.taskDirectory.rawValue])
        w.rawUInt32(version)
        w.rawUInt32(UInt32(tasks))
        w.rawUInt32(UInt32(machines))
        for (part, shift) in zip(parts, shifts) {
            for (offset, summary) in zip(part.offsets, part.summaries) {
                w.rawUInt64(UInt64(offset + shift))
                w.rawUInt32(UInt32(summary.resourceCount))
                let c = summary.counts
                for count in [c.pending, c.reserved, c.inProgress, c.completed, c.failed, c.excluded] { w.rawUInt32(UInt32(count)) }
            }
        }
        // The parts are sorted each; merged here, in one pass.
        var merged = parts.first?.machines ?? []
        for part in parts.dropFirst() { merged = merge(merged, part.machines) }
        // Little-endian already on every platform Pitstop builds for; written as one block.
        merged.withUnsafeBytes { w.rawBytes($0) }
        return w.bytes
    }

    private static func merge(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var merged: [UInt64] = []
        merged.reserveCapacity(a.count + b.count)
        var (i, j) = (0, 0)
        while i < a.count && j < b.count {
            if a[i] <= b[j] { merged.append(a[i]); i += 1 } else { merged.append(b[j]); j += 1 }
        }
        merged += a[i...]
        merged += b[j...]
        return merged
    }

    /// A hash of the id's UTF-8 bytes, eight at a time (multiply and shift), cut to 40 bits: stable across
    /// processes and versions, unlike `Hasher`. A collision only makes a lookup decode a task it then passes over.
    static func hash(_ id: String) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(id.utf8.count)
        var copy = id
        copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var offset = 0
            while offset + 8 <= count {
                hash = (hash ^ UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
                hash ^= hash >> 29
                offset += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 32
        }
        return hash >> positionBits
    }

    // MARK: Reading

    let buffer: UnsafeRawBufferPointer
    /// Where the table's fields start in `buffer` (just past the type byte).
    let start: Int
    let taskCount: Int
    let machineCount: Int

    /// The table in a record's payload, or nil when it is not one this version reads (then the snapshot is
    /// decoded whole) or its sizes do not add up.
    init?(_ buffer: UnsafeRawBufferPointer, payload: Range<Int>) {
        guard payload.count >= Self.headerSize,
              buffer.loadUnaligned(fromByteOffset: payload.lowerBound, as: UInt32.self).littleEndian == Self.version
        else { return nil }
        self.buffer = buffer
        start = payload.lowerBound + Self.headerSize
        taskCount = Int(buffer.loadUnaligned(fromByteOffset: payload.lowerBound + 4, as: UInt32.self).littleEndian)
        machineCount = Int(buffer.loadUnaligned(fromByteOffset: payload.lowerBound + 8, as: UInt32.self).littleEndian)
        guard payload.count == Self.headerSize + taskCount * Self.taskEntrySize + machineCount * 8 else { return nil }
    }

    private func u32(_ offset: Int) -> Int { Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian) }
    private func u64(_ offset: Int) -> UInt64 { buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }

    func recordOffset(_ position: Int) -> Int { Int(truncatingIfNeeded: u64(start + position * Self.taskEntrySize)) }

    func summary(_ position: Int) -> TaskSummary {
        let entry = start + position * Self.taskEntrySize
        var counts = StatusCounts()
        counts.pending = u32(entry + 12)
        counts.reserved = u32(entry + 16)
        counts.inProgress = u32(entry + 20)
        counts.completed = u32(entry + 24)
        counts.failed = u32(entry + 28)
        counts.excluded = u32(entry + 32)
        return TaskSummary(resourceCount: u32(entry + 8), counts: counts)
    }

    /// Whether the table names exactly the task records that start at `offsets`, in order: only then is it
    /// used (a snapshot whose records moved is decoded whole).
    func lists(_ offsets: [Int]) -> Bool {
        offsets.count == taskCount && offsets.indices.allSatisfy { recordOffset($0) == offsets[$0] }
    }

    /// What is wrong with this table as the directory of `tasks`, whose records start at `offsets` (which it
    /// `lists`); nil when it describes them exactly.
    func problem(describing tasks: [MaintenanceTask], at offsets: [Int]) -> String? {
        var part = Part()
        for (position, task) in tasks.enumerated() {
            guard summary(position) == TaskSummary(task) else { return "task \(task.id)'s counts differ from its resources" }
            part.add(task, recordOffset: offsets[position], position: position)
        }
        part.finish()
        guard part.machines.count == machineCount else { return "it lists \(machineCount) resources, the tasks hold \(part.machines.count)" }
        let entries = start + taskCount * Self.taskEntrySize
        for (index, entry) in part.machines.enumerated() where u64(entries + index * 8) != entry {
            return "its resource index differs from the tasks' resources at entry \(index)"
        }
        return nil
    }

    /// Positions of the tasks holding a resource whose id hashes as `id`'s does.
    func positions(mayHoldMachine id: String) -> [Int] {
        let entries = start + taskCount * Self.taskEntrySize
        let wanted = Self.hash(id)
        var low = 0
        var high = machineCount
        while low < high {
            let middle = (low + high) / 2
            if u64(entries + middle * 8) >> Self.positionBits < wanted { low = middle + 1 } else { high = middle }
        }
        var found: [Int] = []
        while low < machineCount && u64(entries + low * 8) >> Self.positionBits == wanted {
            let position = Int(u64(entries + low * 8) & (1 << Self.positionBits - 1))
            if found.last != position { found.append(position) }
            low += 1
        }
        return found
    }
}

/// The tasks of a mapped snapshot that has a task directory: each decoded when asked, from the mapping, which
/// it keeps alive. Every record's checksum was checked when the snapshot was opened and the file is never
/// written in place (a new snapshot is a new file renamed over it), so a record that fails to decode now is
/// a defect, not damage: it stops the process with the file and offset, and `pitstop store check` decodes
/// every record to find such a one.
final class SnapshotTasks: TaskSource, @unchecked Sendable {
    // Safety: after init nothing here changes; the mapping is read-only and unmapped only in deinit.
    private let mapping: MappedFile
    private let directory: TaskDirectory
    private let path: String

    init(mapping: MappedFile, directory: TaskDirectory, path: String) {
        self.mapping = mapping
        self.directory = directory
        self.path = path
    }

    var count: Int { directory.taskCount }

    /// A reader over the task record at `position`'s payload.
    private func reader(_ position: Int) -> ByteReader {
        let offset = directory.recordOffset(position)
        let length = Int(mapping.buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        return ByteReader(mapping.buffer, from: offset + Frame.headerSize + 1, to: offset + Frame.headerSize + length)
    }

    private func decode<T>(_ position: Int, _ body: (inout ByteReader) throws(DecodeError) -> T) -> T {
        var reader = reader(position)
        do throws(DecodeError) {
            return try body(&reader)
        } catch {
            fatalError("\(path): the task record at byte \(directory.recordOffset(position)) does not decode: \(error.reason) (run `pitstop store check`)")
        }
    }

    func id(at position: Int) -> String {
        decode(position) { (reader: inout ByteReader) throws(DecodeError) -> String in
            while let (field, type) = try reader.nextField() {
                if field == 1 { return try reader.string(type) }
                try reader.skip(type)
            }
            throw DecodeError(reason: "a task without an id")
        }
    }

    func summary(at position: Int) -> TaskSummary { directory.summary(position) }

    func head(at position: Int) -> MaintenanceTask {
        decode(position) { (reader: inout ByteReader) throws(DecodeError) -> MaintenanceTask in
            var texts = StringInterner()
            return try reader.task(texts: &texts, withResources: false)
        }
    }

    func task(at position: Int) -> MaintenanceTask {
        decode(position) { (reader: inout ByteReader) throws(DecodeError) -> MaintenanceTask in
            var texts = StringInterner()
            return try reader.task(texts: &texts)
        }
    }

    func tasks(at positions: ArraySlice<Int>) -> [MaintenanceTask] {
        var texts = StringInterner()
        return positions.map { position in
            decode(position) { (reader: inout ByteReader) throws(DecodeError) -> MaintenanceTask in try reader.task(texts: &texts) }
        }
    }

    /// Makes room in the calling thread's malloc arena for what decoding `positions` allocates (about 256 bytes
    /// a resource), at once: grown by what each allocation needs, a thread's arena took a system call per page,
    /// 3,500 of them for the benchmark fleet (`ProcessMemory.reserve`).
    func prepareToDecode(_ positions: ArraySlice<Int>) {
        let resources = positions.reduce(0) { $0 + directory.summary($1).resourceCount }
        ProcessMemory.reserve(bytes: resources * 256)
    }

    /// The mapped pages go back to the page cache (the file is never written in place, so reading them again
    /// would give the same bytes): what a decoded fleet holds is the tasks, not also their encoding.
    func everyTaskDecoded() {
        madvise(UnsafeMutableRawPointer(mutating: mapping.buffer.baseAddress), mapping.buffer.count, MADV_DONTNEED)
    }

    func positions(mayHoldMachine id: String) -> [Int] { directory.positions(mayHoldMachine: id) }
}
