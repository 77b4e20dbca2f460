import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTUI

/// `pitstop bench`: the budgets of SPEC §8, as §14 raised them, measured on a generated fleet in a temporary store.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the performance budgets on a generated fleet in a temporary store.",
        discussion: "Build with `make release` first: debug builds are many times slower. Each figure is a median of repeated runs.")

    @Option(name: .long, help: "Resources in the fleet (tasks = resources / 50).")
    var resources = 100_000

    @Option(name: .long, parsing: .unconditional, help: "Events in the log (default: twice the resources).")
    var events: Int?

    @Flag(name: .long, help: "Print one JSON object with a number per budget.")
    var json = false

    @OptionGroup var global: GlobalOptions

    /// With --etcd: the figures of a fleet kept in that etcd, under a prefix of its own removed afterwards.
    @OptionGroup var etcd: EtcdOptions

    func validate() throws {
        if global.store != nil { throw ValidationError("bench makes its own temporary store, so --store does not apply; drop it") }
        if global.readonly { throw ValidationError("bench writes only its own temporary store, so --readonly does not apply; drop it") }
        if let events, events < 0 { throw ValidationError("--events must be 0 or more") }
    }

    struct Figure {
        var key: String
        var label: String
        var value: Double
        var budget: Double
        var unit: String
    }

    func run() throws {
        let tasks = max(1, resources / 50)
        let events = max(0, self.events ?? resources * 2)
        let now = Date()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pitstop-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = { (text: String) in if !json { FileHandle.standardError.write(Data("bench: \(text)\n".utf8)) } }

        log("building \(tasks) tasks × \(resources / tasks) resources, \(events) events…")
        let fleet = BenchFleet.build(tasks: tasks, resources: resources, events: events, now: now)
        let writer = try Store.open(dir + "/store", options: StoreOptions(compactionThreshold: Int.max))
        try writer.replaceAll(with: fleet, now: now)
        // What the set-up wrote goes to disk now, not inside the first timed fsync.
        sync()

        log("open, snapshot, mutations…")
        var opened: Store?
        let openMs = Timing.median(try (0..<5).map { _ in
            opened = nil  // dropping the previous fleet is not part of opening this one
            return try Timing.milliseconds { opened = try Store.open(dir + "/store", options: StoreOptions(readOnly: true)) }
        })
        // The log's index by task and kind, built by its first lookup. The console builds it on another thread
        // as it opens (so no key waits for it); its budget is opening's.
        let freshLog = try Store.open(dir + "/store", options: StoreOptions(readOnly: true)).state.events
        let eventIndexMs = Timing.milliseconds { _ = freshLog.positions(ofTask: fleet.tasks[fleet.tasks.count / 2].id) }
        let memory = try Timing.childResidentMB(["--store", dir + "/store", "--readonly", "store", "info"])
        // What a console or an engine holds: the same, with every task decoded (they decode in the background).
        let decodedMemory = try Timing.childResidentMB(["--store", dir + "/store", "--readonly", "store", "info", "--decoded"])
        // Decoding every task, on two threads: what a console does in the background after its first frame and
        // an engine as it starts.
        let decodeAllMs = Timing.median(try (0..<5).map { _ in
            let fresh = try Store.open(dir + "/store", options: StoreOptions(readOnly: true))
            return Timing.milliseconds { fresh.decodeAllTasks() }
        })
        // A compaction as the engine makes them: the fleet, and the events since the last one (here 100).
        var snapshotTimes: [Double] = []
        for round in 0..<3 {
            for n in 0..<100 {
                try writer.mutate(.setPolicyValue(key: "maxConcurrency", value: "\(2 + (round * 100 + n) % 7)"), context: MutationContext(now: now, actor: "bench"))
            }
            snapshotTimes.append(try Timing.milliseconds { try writer.compact(now: now) })
        }
        let snapshotMs = Timing.median(snapshotTimes)
        let task = writer.state.tasks.first { $0.resources.contains { $0.status == .pending } }!
        let id = task.resources.first { $0.status == .pending }!.id
        let context = MutationContext(now: now, actor: "bench")
        var mutationTimes: [Double] = []
        for n in 0..<200 {
            let mutation: Mutation = n % 2 == 0 ? .exclude(taskID: task.id, resourceIDs: [id]) : .include(taskID: task.id, resourceIDs: [id])
            mutationTimes.append(try Timing.milliseconds { try writer.mutate(mutation, context: context) })
        }

        log("poll of 100 changes, frame render, engine tick…")
        let reader = opened!
        _ = try reader.poll()
        for n in 0..<100 {
            try writer.mutate(n % 2 == 0 ? .exclude(taskID: task.id, resourceIDs: [id]) : .include(taskID: task.id, resourceIDs: [id]), context: context)
        }
        let pollMs = try Timing.milliseconds { _ = try reader.poll() }
        // The reader reloaded the writer's compactions above. The console decodes its tasks in the background after
        // opening or reloading, and holds them as an array from its next poll: its keys read them so.
        reader.decodeAllTasks()

        let consoleFrame = FrameTiming.consoleFrame(fleet: reader.state, width: 200, height: 60, now: now, storePath: dir)
        let frameMs = Timing.median((0..<30).map { _ in Timing.milliseconds { consoleFrame() } })
        let nextTask = FrameTiming.nextTaskFrame(fleet: reader.state, width: 200, height: 60, now: now, storePath: dir)
        let nextTaskMs = Timing.median((0..<30).map { _ in Timing.milliseconds { nextTask() } })
        let filterKey = FrameTiming.filterKeyFrame(fleet: reader.state, query: "orders-pg-01", width: 200, height: 60, now: now, storePath: dir)
        let filterKeyMs = Timing.median((0..<36).map { _ in Timing.milliseconds { filterKey() } })
        // Fields: each key past a field's colon checks every resource of every task against it.
        let fieldFilterKey = FrameTiming.filterKeyFrame(fleet: reader.state, query: "status:failed role:primary", width: 200, height: 60, now: now, storePath: dir)
        let fieldFilterKeyMs = Timing.median((0..<52).map { _ in Timing.milliseconds { fieldFilterKey() } })
        // `:res` and Tab over 100,000 resource ids (the prompt's keys before Tab are included: they do nothing heavy).
        let completion = FrameTiming.commandCompletionFrame(fleet: reader.state, text: "res ", width: 200, height: 60, now: now, storePath: dir)
        let completionMs = Timing.median((0..<15).map { _ in Timing.milliseconds { completion() } })
        let firstFilterKey = FrameTiming.firstFilterKeyFrame(fleet: reader.state, query: "o", width: 200, height: 60, now: now, storePath: dir)
        let firstFilterKeyMs = Timing.median((0..<15).map { _ in Timing.milliseconds { firstFilterKey() } })
        // Each other key that does work beyond a frame: overlays over the whole fleet, the sort, the editor.
        func keyMs(_ key: Character) -> Double {
            let press = FrameTiming.keyFrame(key, fleet: reader.state, width: 200, height: 60, now: now, storePath: dir)
            return Timing.median((0..<15).map { _ in Timing.milliseconds { press() } })
        }
        let calendarOpenMs = keyMs("v")
        let eventLogMs = keyMs("L")
        let sortMs = keyMs("s")
        let editorMs = keyMs("e")
        let watchFrame = FrameTiming.watchFrame(fleet: reader.state, width: 200, height: 60, now: now, storePath: dir)
        let watchFrameMs = Timing.median((0..<30).map { _ in Timing.milliseconds { watchFrame() } })

        // Three first ticks, each of a fresh engine on its own store, whose 10,000 reservations come due at once.
        let due = BenchFleet.withDueReservations(fleet, count: min(10_000, resources / 2), now: now)
        var tickTimes: [Double] = []
        for round in 0..<3 {
            let path = dir + "/tick\(round)"
            do {
                let setUp = try Store.open(path, options: StoreOptions(compactionThreshold: Int.max))
                try setUp.replaceAll(with: due, now: now)
                // As the engine's loop does after a compaction or a reload (outside its ticks): the memory just
                // dropped goes back now, not to the first large allocation of the timed tick.
                setUp.returnFreedMemory()
            }
            sync()
            // The engine opens the store itself, as a daemon does: its fleet is its own, not shared with `due`.
            let engine = Engine(store: try Store.open(path, options: StoreOptions(compactionThreshold: Int.max)), clock: ManualClock(now.addingTimeInterval(2)))
            try engine.start()
            // The attempts start under real supervisors, as in production; they are cancelled right after.
            tickTimes.append(try Timing.milliseconds { try engine.tick() })
            for task in engine.store.state.tasks {
                for resource in task.resources where resource.status == .inProgress {
                    _ = try? AttemptCanceller.cancel(store: engine.store, taskID: task.id, resourceID: resource.id, actor: "bench", now: now, zone: .current)
                }
            }
        }
        let tickMs = Timing.median(tickTimes)

        var figures = [
            Figure(key: "openMs", label: "open store (snapshot + journal)", value: openMs, budget: 50, unit: "ms"),
            Figure(key: "eventIndexMs", label: "build the log's index (background)", value: eventIndexMs, budget: 50, unit: "ms"),
            Figure(key: "snapshotWriteMs", label: "write a snapshot (compaction)", value: snapshotMs, budget: 150, unit: "ms"),
            Figure(key: "mutationMedianMs", label: "durable mutation, median of 200", value: Timing.median(mutationTimes), budget: 2, unit: "ms"),
            Figure(key: "mutationP99Ms", label: "durable mutation, p99", value: Timing.percentile(mutationTimes, 0.99), budget: 10, unit: "ms"),
            Figure(key: "poll100Ms", label: "poller applying 100 changes", value: pollMs, budget: 1, unit: "ms"),
            Figure(key: "frameMs", label: "render a 200×60 frame", value: frameMs, budget: 1, unit: "ms"),
            Figure(key: "nextTaskMs", label: "key: next task, 200×60 frame", value: nextTaskMs, budget: 16, unit: "ms"),
            Figure(key: "filterKeyMs", label: "key: filter typing, 200×60 frame", value: filterKeyMs, budget: 16, unit: "ms"),
            Figure(key: "fieldFilterKeyMs", label: "key: field filter typing (status: role:)", value: fieldFilterKeyMs, budget: 16, unit: "ms"),
            Figure(key: "commandCompletionMs", label: "key: Tab on \":res \" over every resource id", value: completionMs, budget: 16, unit: "ms"),
            Figure(key: "firstFilterKeyMs", label: "key: first filter key after open", value: firstFilterKeyMs, budget: 16, unit: "ms"),
            Figure(key: "calendarOpenMs", label: "key: open the calendar, 200×60", value: calendarOpenMs, budget: 16, unit: "ms"),
            Figure(key: "eventLogOpenMs", label: "key: open the event log, 200×60", value: eventLogMs, budget: 16, unit: "ms"),
            Figure(key: "sortKeyMs", label: "key: next sort order, 200×60", value: sortMs, budget: 16, unit: "ms"),
            Figure(key: "editorOpenMs", label: "key: open the schedule editor", value: editorMs, budget: 16, unit: "ms"),
            Figure(key: "watchFrameMs", label: "render a 200×60 watch frame", value: watchFrameMs, budget: 5, unit: "ms"),
            Figure(key: "decodeAllMs", label: "decode every task (background, or engine start)", value: decodeAllMs, budget: 50, unit: "ms"),
            Figure(key: "rssMB", label: "resident memory, one store open", value: memory.resident, budget: 60, unit: "MB"),
            Figure(key: "peakMB", label: "peak memory while opening", value: memory.peak, budget: 80, unit: "MB"),
            Figure(key: "decodedRssMB", label: "resident memory, every task decoded", value: decodedMemory.resident, budget: 60, unit: "MB"),
            Figure(key: "decodedPeakMB", label: "peak memory, every task decoded", value: decodedMemory.peak, budget: 80, unit: "MB"),
            Figure(key: "engineTickMs", label: "engine tick, \(min(10_000, resources / 2)) due", value: tickMs, budget: 25, unit: "ms"),
        ]
        if let binding = try etcd.binding() {
            log("a fleet in etcd: durable mutations through it, a second copy applying 100 changes…")
            figures += try etcdFigures(binding, fleet: BenchFleet.build(tasks: 20, resources: 1_000, events: 0, now: now), dir: dir, now: now)
        }
        if json {
            var object: [String: Any] = ["resources": resources, "tasks": tasks, "events": events]
            for figure in figures { object[figure.key] = (figure.value * 1000).rounded() / 1000 }
            var data = ExportFormat.json(object)
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
            return
        }
        print("Pitstop bench: \(tasks) tasks, \(resources) resources, \(events) events")
        for figure in figures {
            let verdict = figure.value <= figure.budget ? "ok" : "OVER"
            let label = figure.label.padding(toLength: 36, withPad: " ", startingAt: 0)
            print(String(format: "%@ %10.3f %@   budget %6.1f %@   %@", label, figure.value, figure.unit, figure.budget, figure.unit, verdict))
        }
    }

    /// Writes acknowledged by etcd, median and p99 of 200 (beside the local store's), and another host's copy
    /// applying 100 changes from etcd; in a fleet of its own under `PREFIX-bench-PID`, removed afterwards.
    func etcdFigures(_ given: EtcdBinding, fleet: FleetState, dir: String, now: Date) throws -> [Figure] {
        EtcdReplica.register()
        let binding = EtcdBinding(endpoints: given.endpoints, prefix: given.prefix + "-bench-\(getpid())", tls: given.tls)
        let replica = EtcdReplica(binding)
        defer { try? replica.client.deletePrefix(binding.prefix + "/") }
        _ = try replica.createOrJoin(now: now)
        let writer = try StoreReplicas.createBound(dir + "/etcd-a", binding: binding.json)
        let reader = try StoreReplicas.createBound(dir + "/etcd-b", binding: binding.json)
        let context = MutationContext(now: now, actor: "bench")
        try writer.mutate(.importTasks(Array(fleet.tasks)), context: context)
        let task = writer.state.tasks.first { $0.resources.contains { $0.status == .pending } }!
        let id = task.resources.first { $0.status == .pending }!.id
        var times: [Double] = []
        for n in 0..<200 {
            let mutation: Mutation = n % 2 == 0 ? .exclude(taskID: task.id, resourceIDs: [id]) : .include(taskID: task.id, resourceIDs: [id])
            times.append(try Timing.milliseconds { try writer.mutate(mutation, context: context) })
        }
        _ = try reader.poll()
        for n in 0..<100 {
            try writer.mutate(n % 2 == 0 ? .exclude(taskID: task.id, resourceIDs: [id]) : .include(taskID: task.id, resourceIDs: [id]), context: context)
        }
        let pollMs = try Timing.milliseconds { _ = try reader.poll() }
        // The reader reloaded the writer's compactions above. The console decodes its tasks in the background after
        // opening or reloading, and holds them as an array from its next poll: its keys read them so.
        reader.decodeAllTasks()
        guard reader.sequence == writer.sequence else { throw CLIError("bench: the second copy is at change \(reader.sequence), not \(writer.sequence)") }
        return [
            Figure(key: "etcdMutationMedianMs", label: "mutation through etcd, median of 200", value: Timing.median(times), budget: 20, unit: "ms"),
            Figure(key: "etcdMutationP99Ms", label: "mutation through etcd, p99", value: Timing.percentile(times, 0.99), budget: 100, unit: "ms"),
            Figure(key: "etcdPoll100Ms", label: "a copy taking 100 changes from etcd", value: pollMs, budget: 100, unit: "ms"),
        ]
    }
}
