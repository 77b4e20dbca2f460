import ArgumentParser
import Foundation
import PitstopTUI

/// `pitstop` / `pitstop tui`: the interactive console.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui", abstract: "The interactive console (the default when no subcommand is given).",
        discussion: "Runs the engine inside unless another process holds it (the header then shows the daemon's pid), --no-engine, or --readonly.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Do not run the engine in this window.")
    var noEngine = false

    func run() throws {
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
            throw CLIError("the TUI needs a terminal; for scripts use `pitstop tasks` or `pitstop task ID`")
        }
        let environment = ProcessInfo.processInfo.environment
        do {
            try TUIApp.run(TUIApp.Options(
                storeDirectory: global.storeDirectory, readonly: global.readonly, noEngine: noEngine, theme: global.theme,
                noColor: global.noColor, themeDirectories: TUIApp.themeDirectories(environment: environment, executable: CommandLine.arguments[0])))
        } catch let error as TerminalError {
            throw CLIError("\(error); set TERM to your terminal's type (e.g. xterm-256color), or for plain text use `pitstop watch --once` or `pitstop tasks`")
        }
    }
}
