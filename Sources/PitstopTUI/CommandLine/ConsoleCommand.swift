import Foundation
import PitstopCore

/// What can be typed after `:` (k9s's command mode, vim's ex line): each command's name, aliases, argument,
/// and a few words for the help and for an unknown command's nearest match.
enum ConsoleCommand: String, CaseIterable, Sendable {
    case task, res, reserve, status, filter, theme, sort, history, help, quit

    /// Other names that run it (`:q`, `:resource`).
    var aliases: [String] {
        switch self {
        case .res: ["resource"]
        case .quit: ["q"]
        case .filter: ["f"]
        default: []
        }
    }

    /// The argument, as the help writes it (empty when it takes none).
    var argument: String {
        switch self {
        case .task: "ID"
        case .res: "ID"
        case .reserve: "TIME"
        case .status: "STATUS"
        case .filter: "TEXT"
        case .theme: "NAME"
        case .sort: "COLUMN [asc|desc]"
        case .history, .help, .quit: ""
        }
    }

    /// Whether it does nothing without its argument (`:filter` alone clears the filter; `:q` takes none).
    var needsArgument: Bool { !argument.isEmpty && self != .filter }

    var summary: String {
        switch self {
        case .task: "go to a task"
        case .res: "go to a resource, in whichever task"
        case .reserve: "open the editor at TIME for the selection (saves only on Enter)"
        case .status: "show tasks with a resource in STATUS"
        case .filter: "set the / filter"
        case .theme: "switch to a theme"
        case .sort: "sort the focused pane"
        case .history: "history of the selection (H)"
        case .help: "every key and command"
        case .quit: "quit"
        }
    }

    /// The command a typed name means: a name, an alias, or a prefix only one command starts with.
    static func named(_ name: String) -> ConsoleCommand? {
        let lower = name.lowercased()
        if let exact = allCases.first(where: { $0.rawValue == lower || $0.aliases.contains(lower) }) { return exact }
        let started = allCases.filter { $0.rawValue.hasPrefix(lower) }
        return started.count == 1 && !lower.isEmpty ? started[0] : nil
    }

    /// The known name closest to `name` (fewest edits), for "unknown command :tsak; did you mean :task?".
    static func nearest(to name: String) -> ConsoleCommand {
        Spelling.nearest(to: name, among: allCases.map(\.rawValue)).flatMap(ConsoleCommand.init(rawValue:)) ?? .help
    }
}

/// Every id of a fleet, sorted, for completing `:task` and `:res` by prefix in a binary search: made once per
/// catalog on another thread as the console opens (a fleet of 100,000 resources sorts in tens of milliseconds,
/// more than a key may take).
final class FleetIDIndex: Equatable, Sendable {
    let catalogVersion: CatalogVersion
    let taskIDs: [String]
    let resourceIDs: [String]

    init(_ fleet: FleetState) {
        catalogVersion = fleet.catalogVersion
        taskIDs = fleet.tasks.map(\.id).sorted()
        resourceIDs = Array(Set(fleet.tasks.lazy.flatMap { $0.resources.lazy.map(\.id) })).sorted()
    }

    static func == (a: FleetIDIndex, b: FleetIDIndex) -> Bool { a === b }

    /// The ids of `sorted` that start with `prefix`, at most `limit` of them, and how many there are in all.
    static func starting(with prefix: String, in sorted: [String], limit: Int) -> (ids: [String], total: Int) {
        // Two binary searches: the first id not before the prefix, and the first after every id it starts.
        func firstIndex(notBefore key: String) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let start = firstIndex(notBefore: prefix)
        let end = firstIndex(notBefore: prefix + "\u{10FFFF}")
        return (Array(sorted[start..<min(end, start + limit)]), end - start)
    }
}
