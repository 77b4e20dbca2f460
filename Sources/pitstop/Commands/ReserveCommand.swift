import ArgumentParser
import Foundation
import PitstopCore

/// `pitstop reserve`: reserve or reschedule resources, optionally staggered.
struct ReserveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve", abstract: "Reserve resources of a task at a time (reschedules reserved ones).",
        discussion: """
            TIME is ISO 8601 with an offset (2026-12-01T02:00:00+09:00), "YYYY-MM-DD HH:MM" in the local zone \
            (TZ is honoured), or now+DURATION (now+25h). Every rule is checked against the latest stored state; \
            if any resource is refused, none is reserved.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The task id.")
    var taskID: String

    @Argument(help: ArgumentHelp("Resource ids (or use --all-pending).", valueName: "resource-id"))
    var resourceIDs: [String] = []

    @Flag(name: .long, help: "Every resource of the task that is pending.")
    var allPending = false

    @Option(name: .long, help: ArgumentHelp("When to run.", valueName: "time"))
    var at: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Minutes between slots of a staggered reservation.", valueName: "minutes"))
    var stagger: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Resources per slot when staggering (default 1).", valueName: "k"))
    var perSlot: Int?

    @Flag(name: .long, help: "Lay the reservations out wave by wave (the task's waves), with its soak between waves.")
    var waves = false

    @Flag(name: .long, help: "Reserve even a resource locked out after repeated failures.")
    var force = false

    func validate() throws {
        if allPending == !resourceIDs.isEmpty {
            throw ValidationError("name resource ids or pass --all-pending (not both)")
        }
        if perSlot != nil && stagger == nil { throw ValidationError("--per-slot needs --stagger") }
        if let stagger, !(stagger > 0 && stagger <= Stagger.longestSpacing / 60) {
            throw ValidationError("--stagger must be above 0 minutes and at most 10080 (a week), not \(stagger)")
        }
        if let perSlot, perSlot < 1 { throw ValidationError("--per-slot must be at least 1") }
    }

    func run() throws {
        let context = CLIContext(global: global)
        let when = try context.parseTime(at)
        let selection: ResourceSelection = allPending ? .allPending : .ids(resourceIDs)
        let spread = stagger.map { Stagger(spacing: $0 * 60, perSlot: perSlot ?? 1) }
        let mutation: Mutation = waves
            ? .reserveInWaves(taskID: taskID, selection: selection, at: when, stagger: spread, force: force)
            : .reserve(taskID: taskID, selection: selection, at: when, stagger: spread, force: force)
        try context.mutate(mutation, command: "reserve")
    }
}
