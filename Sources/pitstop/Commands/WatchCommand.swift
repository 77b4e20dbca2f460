import ArgumentParser
import Foundation
import PitstopTUI

/// `pitstop watch`: the read-only ops screen, or one text frame with `--once`.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "A read-only screen for an ops terminal: statuses, running executions, next reservations, events.",
        discussion: "Keys: q quits, p pauses, + and - change the poll interval. --once prints one plain frame to stdout (for scripts and cron); with --exit-status it exits 1 while any resource is failed or any task halted.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print one frame as text and exit.")
    var once = false

    @Flag(name: .long, help: "With --once: exit 1 while anything has failed or a task is halted.")
    var exitStatus = false

    @Flag(name: .long, help: "With --once: colour escapes in the text.")
    var color = false

    @Option(name: .long, parsing: .unconditional, help: "Seconds between polls (store changes also wake the screen at once).")
    var interval: Double = 1

    @Option(name: .long, help: ArgumentHelp("Only this task.", valueName: "id"))
    var task: String?

    func validate() throws {
        guard interval >= 0.25 && interval <= 60 else { throw ValidationError("--interval must be between 0.25 and 60 seconds") }
        if exitStatus && !once { throw ValidationError("--exit-status goes with --once") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let options = WatchApp.Options(
            storeDirectory: global.storeDirectory, interval: interval, taskID: task, theme: global.theme, noColor: global.noColor,
            themeDirectories: TUIApp.themeDirectories(environment: environment, executable: CommandLine.arguments[0]))
        if once {
            let width = Int(environment["COLUMNS"] ?? "") ?? 100
            let (text, failing) = try WatchApp.once(options, width: width, color: color && !global.noColor)
            FileHandle.standardOutput.write(Data(text.utf8))
            if exitStatus && failing { throw ExitCode(1) }
            return
        }
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
            throw CLIError("watch needs a terminal; use `pitstop watch --once` for scripts")
        }
        do {
            try WatchApp.run(options)
        } catch let error as TerminalError {
            throw CLIError("\(error); set TERM to your terminal's type (e.g. xterm-256color), or use `pitstop watch --once` for plain text")
        }
    }
}
