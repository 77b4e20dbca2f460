import ArgumentParser
import Foundation
import PitstopTUI

/// `pitstop config show|check`: the console's config file (`$XDG_CONFIG_HOME/pitstop/config.toml`).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show or check the console's config file (theme, sort, key remaps).",
        discussion: """
            The file is $XDG_CONFIG_HOME/pitstop/config.toml, else ~/.config/pitstop/config.toml:
              theme = "light"            # when neither --theme nor PITSTOP_THEME names one
              sort = "deadline desc"     # the task list's first order
              [keys]                     # the panes' keys by action; `config show` lists the actions
              undo = "U"
              copy = ["y", "Y"]
            A bad file is refused with its line; the console then starts with the defaults and says so.
            """,
        subcommands: [Show.self, Check.self], defaultSubcommand: Show.self)

    /// The store has nothing to do with the console's own settings.
    static func refuseGlobal(_ global: GlobalOptions) throws {
        if global.store != nil { throw ValidationError("the config file belongs to you, not to a store, so --store does not apply; drop it") }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configuration in force: every setting and every action's keys.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try ConfigCommand.refuseGlobal(global)
            let (config, problem) = ConsoleConfig.load(environment: ProcessInfo.processInfo.environment)
            if let problem { throw CLIError("\(problem); the console uses the defaults until it is fixed") }
            print(config.rendered(), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the config file; exit 1 with its line when the console would not use it.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try ConfigCommand.refuseGlobal(global)
            let environment = ProcessInfo.processInfo.environment
            let (config, problem) = ConsoleConfig.load(environment: environment)
            if let problem { throw CLIError(problem) }
            print(config.path == nil ? "no config file at \(ConsoleConfig.path(environment: environment) ?? "(no home)"): the defaults are in force" : "ok: \(config.summary)")
        }
    }
}
