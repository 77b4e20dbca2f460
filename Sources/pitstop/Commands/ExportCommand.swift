import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

/// `pitstop export`: every task as JSON (re-importable) or CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export all tasks to standard output.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "json (re-importable) or csv (one row per resource).")
    var format: Format = .json

    func run() throws {
        let store = try CLIContext(global: global).openForReading()
        let tasks = store.state.tasks.sorted { $0.id < $1.id }
        switch format {
        case .json: FileHandle.standardOutput.write(ExportFormat.json(tasks: tasks))
        case .csv: FileHandle.standardOutput.write(Data(ExportFormat.csv(tasks: tasks).utf8))
        }
    }
}
