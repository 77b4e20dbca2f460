import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop`: the command line. Parsing and wiring only; the rules live in PitstopCore, the files in PitstopStore.
@main
struct Pitstop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pitstop",
        abstract: "Planned maintenance for database fleets: reserve, run and watch upgrades per resource.",
        discussion: """
            GLOBAL OPTIONS (before or after the subcommand):
              --store <path>        The store directory (default: $PITSTOP_STORE,
                                    else $XDG_DATA_HOME/pitstop, else
                                    ~/.local/share/pitstop).
              --readonly            Never change the store; changing commands are refused.
              --theme <name|path>   Theme name or file (console and watch).
              --no-color            No colours (also when NO_COLOR is set).
            """,
        version: "pitstop \(PitstopVersion.number) (store format \(FileHeader.currentVersion))",
        subcommands: [
            TUICommand.self, WatchCommand.self, TasksCommand.self, TaskCommand.self, ReserveCommand.self, ClearCommand.self, ExcludeCommand.self,
            IncludeCommand.self, RetryCommand.self, EventsCommand.self, ImportCommand.self, ExportCommand.self,
            PolicyCommand.self, ConfigCommand.self, FreezeCommand.self, PlanCommand.self, StoreCommand.self, DiscoverCommand.self, PatroniCommand.self, DemoCommand.self, DaemonCommand.self, ResumeCommand.self, CancelCommand.self, RehearseCommand.self, OutputCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: TUICommand.self)

    /// Errors print as one `error:` line on stderr; help and usage keep ArgumentParser's own output.
    static func main() {
        // A store bound to etcd opens through etcd wherever it is opened (CLI, console, engine).
        EtcdReplica.register()
        do {
            var names: [String: Set<String>] = [:]
            for subcommand in configuration.subcommands {
                names[subcommand._commandName] = Set(subcommand.configuration.subcommands.map { $0._commandName })
            }
            let arguments = ArgumentOrder.normalized(Array(CommandLine.arguments.dropFirst()), subcommands: names)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let exit as ExitCode {
            // A command that already said what it had to (store check, watch --exit-status) only sets the status.
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit {
                exit(withError: error)
            }
            let message: String
            switch error {
            case let error as CLIError: message = error.message
            case let error where ErrorText.message(for: error) != nil: message = ErrorText.message(for: error) ?? ""
            case let error as ImportRejection: message = error.description
            case let error as any CustomStringConvertible where !(error is ValidationError): message = error.description
            default: message = Self.message(for: error).replacingOccurrences(of: "\n", with: " ") + " (see `pitstop --help`)"
            }
            // Messages quote ids and names from files and stores: printed safe, line by line.
            let safe = message.split(separator: "\n", omittingEmptySubsequences: false).map { EventText.sanitized(String($0)) }
            FileHandle.standardError.write(Data("error: \(safe.joined(separator: "\n"))\n".utf8))
            Foundation.exit(code == .success ? 1 : (code.rawValue == 64 ? 64 : 1))
        }
    }
}
