// pitstop-baselines: loads the benchmark fleet from Pitstop's store, from SQLite (prepared statements, one
// transaction, WAL) and from Foundation's JSONDecoder into the same Swift structs, and makes one durable
// status update in each, all in one process so that the machine's noise hits every contender alike.
import CSQLite
import CSQLiteLoader
import Foundation
import PitstopCore
import PitstopStore

// `pitstop-baselines --prepare DIR [RESOURCES]` instead writes the fleet as a store (DIR/store) and as an
// SQLite file (DIR/fleet.sqlite), and names a task with pending resources (DIR/target), for the whole-process
// benchmark (Benchmarks/process-bench.py) to time commands against.
var arguments = Array(CommandLine.arguments.dropFirst())
let prepareDirectory: String? = arguments.first == "--prepare" && arguments.count >= 2 ? arguments[1] : nil
if prepareDirectory != nil { arguments.removeFirst(2) }
let resourceCount = Int(arguments.first ?? "") ?? 100_000
let now = Date()
if let prepareDirectory {
    try FileManager.default.createDirectory(atPath: prepareDirectory, withIntermediateDirectories: true)
    let fleet = DemoFleet(taskCount: resourceCount / 50, resourceCount: resourceCount, seed: 8).build(now: now, minimumEvents: resourceCount * 2)
    try Store.open(prepareDirectory + "/store").replaceAll(with: fleet, now: now)
    try? FileManager.default.removeItem(atPath: prepareDirectory + "/fleet.sqlite")
    try SQLiteBaseline(path: prepareDirectory + "/fleet.sqlite").write(fleet)
    let target = fleet.tasks.first { $0.resources.filter { $0.status == .pending }.count >= 2 }!
    let pending = target.resources.filter { $0.status == .pending }.prefix(2).map(\.id)
    try ([target.id] + pending).joined(separator: " ").write(toFile: prepareDirectory + "/target", atomically: true, encoding: .utf8)
    print("\(fleet.tasks.count) tasks, \(resourceCount) resources, \(fleet.events.count) events in \(prepareDirectory)/store and \(prepareDirectory)/fleet.sqlite")
    exit(0)
}
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pitstop-baselines-\(getpid())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs { times.append(try milliseconds(body)) }
    return times.sorted()[times.count / 2]
}

FileHandle.standardError.write(Data("baselines: building \(resourceCount / 50) tasks × 50 resources, \(resourceCount * 2) events…\n".utf8))
let fleet = DemoFleet(taskCount: resourceCount / 50, resourceCount: resourceCount, seed: 8).build(now: now, minimumEvents: resourceCount * 2)

// (a) Pitstop's store.
let storePath = directory + "/store"
try Store.open(storePath).replaceAll(with: fleet, now: now)
// Each open is timed alone: the previous store is dropped before the clock starts, as the C loader's free is
// not timed either. A store opens without decoding its tasks (SPEC §21); here every task is decoded inside the
// timing, as the C loader loads every row. The event log stays in its file (read on demand, SPEC §14).
var opened: Store?
var openTimes: [Double] = []
for _ in 0..<5 {
    opened = nil
    openTimes.append(try milliseconds {
        opened = try Store.open(storePath, options: StoreOptions(readOnly: true))
        opened?.decodeAllTasks()
    })
}
let pitstopOpen = openTimes.sorted()[openTimes.count / 2]
precondition(opened?.state.tasks.count == fleet.tasks.count && opened?.state.events.count == fleet.events.count)
opened = nil
let writer = try Store.open(storePath)
let target = fleet.tasks.first { $0.resources.contains { $0.status == .pending } }!
let targetID = target.resources.first { $0.status == .pending }!.id
var toggle = false
let pitstopUpdate = try median(101) {
    toggle.toggle()
    try writer.mutate(toggle ? .exclude(taskID: target.id, resourceIDs: [targetID]) : .include(taskID: target.id, resourceIDs: [targetID]),
                      context: MutationContext(now: now, actor: "bench"))
}

// (b) SQLite.
let sqlite = try SQLiteBaseline(path: directory + "/fleet.sqlite")
try sqlite.write(fleet)
var sqliteState = FleetState()
let sqliteOpen = try median(5) { sqliteState = try SQLiteBaseline(path: directory + "/fleet.sqlite").load() }
precondition(sqliteState.tasks.count == fleet.tasks.count && sqliteState.events.count == fleet.events.count)
let sqliteUpdate = try median(101) {
    toggle.toggle()
    try sqlite.updateStatus(taskID: target.id, resourceID: targetID, status: toggle ? .excluded : .pending)
}

// (b') The same SQLite file loaded by a C program into C structs: the bar SPEC §14 sets (≥ 3× slower than
// Pitstop's open). Freeing is not timed; the open of each contender above is a fresh one too.
var cFleet = ps_fleet()
var cTimes: [Double] = []
for _ in 0..<5 {
    cTimes.append(milliseconds { precondition(ps_load(directory + "/fleet.sqlite", &cFleet) == 0) })
    precondition(cFleet.task_count == fleet.tasks.count && cFleet.event_count == fleet.events.count
                 && cFleet.resource_count == fleet.tasks.reduce(0) { $0 + $1.resources.count })
    ps_free(&cFleet)
}
let cOpen = cTimes.sorted()[cTimes.count / 2]
// The same without the events: what Pitstop's open decodes (its log stays on disk, checked but not decoded).
var cFleetTimes: [Double] = []
for _ in 0..<5 {
    cFleetTimes.append(milliseconds { precondition(ps_load_rows(directory + "/fleet.sqlite", &cFleet, 0) == 0) })
    precondition(cFleet.task_count == fleet.tasks.count && cFleet.event_count == 0)
    ps_free(&cFleet)
}
let cFleetOpen = cFleetTimes.sorted()[cFleetTimes.count / 2]

// (c) JSON with Foundation's JSONDecoder.
let jsonPath = directory + "/fleet.json"
try JSONBaseline.write(fleet, to: jsonPath)
var jsonState = FleetState()
let jsonOpen = try median(3) { jsonState = try JSONBaseline.load(jsonPath) }
precondition(jsonState.tasks.count == fleet.tasks.count)
let jsonUpdate = try median(5) {
    // JSON at rest has no partial update: the whole document is rewritten and fsync'd.
    try JSONBaseline.write(fleet, to: jsonPath)
}

print("Loading \(fleet.tasks.count) tasks, \(resourceCount) resources, \(fleet.events.count) events into the same Swift structs:")
print(String(format: "  Pitstop store  %9.1f ms   (every task decoded)", pitstopOpen))
/// "ok" when Pitstop is at least `budget` times faster, else "SHORT", so a missed budget cannot pass unread.
func verdict(_ ratio: Double, _ budget: Double) -> String { ratio >= budget ? "ok" : "SHORT" }
let (cRatio, sqliteRatio, jsonRatio) = (cOpen / pitstopOpen, sqliteOpen / pitstopOpen, jsonOpen / pitstopOpen)
print(String(format: "  SQLite → C     %9.1f ms   Pitstop is %.2f× faster (budget ≥ 3×, SPEC §14)   %@", cOpen, cRatio, verdict(cRatio, 3)))
print(String(format: "    without events %9.1f ms   Pitstop is %.2f× faster (tasks and resources alone, for comparison)", cFleetOpen, cFleetOpen / pitstopOpen))
print(String(format: "  SQLite → Swift %9.1f ms   Pitstop is %.2f× faster (budget ≥ 2×, SPEC §8)    %@", sqliteOpen, sqliteRatio, verdict(sqliteRatio, 2)))
print(String(format: "  JSONDecoder    %9.1f ms   Pitstop is %.1f× faster (budget ≥ 10×, SPEC §8)   %@", jsonOpen, jsonRatio, verdict(jsonRatio, 10)))
print("One durable status update (median):")
print(String(format: "  Pitstop append + fdatasync           %8.3f ms", pitstopUpdate))
print(String(format: "  SQLite UPDATE, WAL, synchronous=FULL %8.3f ms", sqliteUpdate))
print(String(format: "  JSON rewrite of the whole document   %8.3f ms", jsonUpdate))
