import ArgumentParser
import PitstopCore

/// `pitstop resume TASK`: let a halted task go on.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a task the engine halted at maxFailures.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The task id.")
    var taskID: String

    func run() throws {
        try CLIContext(global: global).mutate(.resume(taskID: taskID), command: "resume")
    }
}
