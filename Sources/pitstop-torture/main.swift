// pitstop-torture: a store writer for the crash and concurrency tests, which kill it with SIGKILL at random
// moments and then check that every mutation it acknowledged on stdout is in the store. Not shipped to users.
//
//   pitstop-torture import DIR PREFIX COUNT [COMPACT_BYTES]   one task per mutation; prints "ack ID" after each
//   pitstop-torture reserve DIR TASK RESOURCE ISO8601          prints "won" or "refused: …"
import Foundation
import PitstopCore
import PitstopStore

let arguments = CommandLine.arguments
/// Writes a line straight to fd 1: an "ack" must reach the parent before the next mutation starts.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pitstop-torture: \(message)\n".utf8))
    exit(2)
}
guard arguments.count >= 5 else { fail("usage: see the comment at the top of main.swift") }
let directory = arguments[2]

switch arguments[1] {
case "import":
    guard let count = Int(arguments[4]) else { fail("COUNT must be a number") }
    let threshold = arguments.count > 5 ? Int(arguments[5]) ?? (8 << 20) : (8 << 20)
    do {
        let store = try Store.open(directory, options: StoreOptions(compactionThreshold: threshold, lockTimeout: 30))
        for n in 0..<count {
            let id = String(format: "%@-%06d", arguments[3], n)
            let task = MaintenanceTask(
                id: id, title: "torture \(n)", service: .mysql, requirement: .recommended, recommendedAt: Date(),
                type: .configChange, resources: [Resource(id: "m-\(n % 7)", name: "machine \(n % 7)")])
            try store.mutate(.importTasks([task]), context: MutationContext(now: Date(), actor: "torture"))
            say("ack \(id)")
        }
    } catch {
        fail("\(error)")
    }
case "reserve":
    guard arguments.count >= 6, let at = try? InstantParser.parse(arguments[5], now: Date(), zone: TimeZone(identifier: "UTC")!) else {
        fail("reserve needs DIR TASK RESOURCE ISO8601")
    }
    do {
        let store = try Store.open(directory, options: StoreOptions(lockTimeout: 30))
        try store.mutate(
            .reserve(taskID: arguments[3], selection: .ids([arguments[4]]), at: at.date, stagger: nil, force: false),
            context: MutationContext(now: Date(), actor: "torture"))
        say("won")
    } catch let error as MutationError {
        say("refused: \(error)")
    } catch {
        fail("\(error)")
    }
default:
    fail("unknown mode \(arguments[1])")
}
