import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// What a subcommand needs around the store: opening it the right way, who is acting, and the clock.
struct CLIContext {
    let global: GlobalOptions
    let now = Date()
    let zone = TimeZone.current

    /// `user@host (cli)`, the actor recorded in events.
    var actor: String { LocalActor.name(via: "cli") }

    var mutationContext: MutationContext { MutationContext(now: now, actor: actor, timeZone: zone) }

    /// Opens the store for reading; it must exist.
    func openForReading() throws -> Store {
        let store = try Store.open(global.storeDirectory, options: StoreOptions(readOnly: true))
        report(store.warnings)
        return OneShot.keep(store)
    }

    /// Opens the store for writing (creating it when `create`), unless `--readonly` forbids it.
    func openForWriting(command: String, create: Bool = false) throws -> Store {
        guard !global.readonly else {
            throw CLIError("--readonly is set, and `pitstop \(command)` changes the store; drop --readonly to run it")
        }
        let store = OneShot.keep(try Store.open(global.storeDirectory, options: StoreOptions(create: create)))
        // A copy that cannot reach its fleet takes no write: one line says why, before anything is tried.
        if let problem = store.replicaProblem { throw CLIError("\(problem.message); nothing was changed") }
        report(store.warnings)
        return store
    }

    /// Applies one mutation and prints the events it logged.
    func mutate(_ mutation: Mutation, command: String) throws {
        let store = try openForWriting(command: command)
        let commit = try store.mutate(mutation, context: mutationContext)
        for event in commit.batch.events { print(EventText.line(event, zone: zone)) }
    }

    func parseTime(_ text: String) throws -> Date {
        let parsed = try InstantParser.parse(text, now: now, zone: zone)
        if let notice = parsed.notice { FileHandle.standardError.write(Data("note: \(notice)\n".utf8)) }
        return parsed.date
    }

    func report(_ warnings: [String]) {
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
    }
}

/// The stores a command opened, held until the process exits: a one-shot command then ends without releasing a
/// fleet of 100,000 resources object by object, which took a fifth of `store info`'s time; the kernel takes the
/// memory back at once, and every write was made durable when it was acknowledged. Only the main thread opens
/// stores here.
enum OneShot {
    nonisolated(unsafe) private static var kept: [Store] = []

    static func keep(_ store: Store) -> Store {
        kept.append(store)
        return store
    }
}
