import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop policy show|set`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show or change the store's policy.",
        subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every policy key and its value.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let policy = try CLIContext(global: global).openForReading().state.policy
            let width = Policy.keys.map(\.count).max() ?? 0
            for key in Policy.keys {
                let value = PolicyText.value(of: key, in: policy) ?? ""
                print("\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value.isEmpty ? "\"\"" : value)")
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change one key: durations like 0, 90s, 15m, 24h, 7d; maxConcurrency an integer; autoApply true|false; notifyLeadTimes a comma list; notifyCommand a JSON array or \"\".")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("One of: \(Policy.keys.joined(separator: ", ")).", valueName: "key"))
        var key: String
        @Argument(help: "The new value.")
        var value: String

        func run() throws {
            try CLIContext(global: global).mutate(.setPolicyValue(key: key, value: value), command: "policy set")
        }
    }
}
