import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop freeze add|list|remove`: periods in which no maintenance may run.
struct FreezeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Add, list or remove freeze periods (nothing may run inside one; --force does not override).",
        subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a freeze: TIMEs (once), `Fri 18:00` (--weekly) or `12-20` (--yearly, whole days, the last included).",
            discussion: """
                Examples:
                  pitstop freeze add year-end --from 2026-12-24T00:00:00+09:00 --to 2026-12-26T00:00:00+09:00
                  pitstop freeze add weekend --from "Fri 18:00" --to "Mon 06:00" --weekly --zone Asia/Seoul
                  pitstop freeze add holidays --from 12-20 --to 01-05 --yearly --service MySQL
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A name without spaces, e.g. year-end.")
        var name: String
        @Option(name: .long, help: "Where the window starts.")
        var from: String
        @Option(name: .long, help: "Where it ends.")
        var to: String
        @Flag(name: .long, help: "Every week, from a weekday and time to another.")
        var weekly = false
        @Flag(name: .long, help: "Every year, from a month-day to another.")
        var yearly = false
        @Option(name: .long, help: "The time zone the times are read in (default: the local zone).")
        var zone: String?
        @Option(name: .long, help: "Only tasks of this service (MySQL or PostgreSQL).")
        var service: String?

        func validate() throws {
            if weekly && yearly { throw ValidationError("--weekly and --yearly exclude each other") }
        }

        func run() throws {
            let context = CLIContext(global: global)
            let zone: TimeZone
            if let name = self.zone {
                guard let named = TimeZone(identifier: name) else { throw CLIError("\(name) is not a time zone; write an IANA name like Asia/Seoul or Europe/Berlin") }
                zone = named
            } else {
                zone = context.zone
            }
            var chosen: Service?
            if let service {
                guard let known = Service.allCases.first(where: { $0.rawValue.lowercased() == service.lowercased() }) else {
                    throw CLIError("\(service) is not a service; write \(Service.allCases.map(\.rawValue).joined(separator: " or "))")
                }
                chosen = known
            }
            let kind: FreezeText.Kind = weekly ? .weekly : yearly ? .yearly : .once
            let window: FreezeWindow
            do {
                window = try FreezeText.window(name: name, kind: kind, from: from, to: to, zone: zone, service: chosen, now: context.now)
            } catch {
                throw CLIError(error.message)
            }
            try context.mutate(.addFreeze(window), command: "freeze add")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the freezes and when each comes next.")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "JSON instead of text.")
        var json = false

        func run() throws {
            let context = CLIContext(global: global)
            let store = try context.openForReading()
            let freezes = store.state.policy.freezes
            let horizon = context.now.addingTimeInterval(400 * 86400)
            if json {
                let objects: [[String: Any]] = freezes.map { freeze in
                    var object: [String: Any] = ["name": freeze.name, "kind": FreezeText.kind(freeze).rawValue, "span": FreezeText.span(freeze), "zone": freeze.zone.identifier]
                    if let service = freeze.service { object["service"] = service.rawValue }
                    if let next = freeze.occurrence(overlapping: context.now, horizon) {
                        object["next"] = ["from": InstantText.iso8601UTC(next.start), "to": InstantText.iso8601UTC(next.end)]
                    }
                    return object
                }
                var data = ExportFormat.json(["freezes": objects])
                data.append(0x0A)
                FileHandle.standardOutput.write(data)
                return
            }
            guard !freezes.isEmpty else {
                print("no freezes; add one with `pitstop freeze add NAME --from … --to …`")
                return
            }
            for freeze in freezes {
                let next = freeze.occurrence(overlapping: context.now, horizon).map {
                    $0.start <= context.now ? " — in force until \(InstantText.short($0.end, in: context.zone))" : " — next from \(InstantText.short($0.start, in: context.zone))"
                } ?? ""
                print(EventText.sanitized(FreezeText.line(freeze) + next))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a freeze by name.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The freeze's name.")
        var name: String

        func run() throws {
            try CLIContext(global: global).mutate(.removeFreeze(name: name), command: "freeze remove")
        }
    }
}
