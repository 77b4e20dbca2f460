import ArgumentParser
import Foundation
import PitstopStore

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Store directory (default: $PITSTOP_STORE, else $XDG_DATA_HOME/pitstop, else ~/.local/share/pitstop).", valueName: "path"))
    var store: String?

    @Flag(name: .long, help: "Never change the store; commands that would are refused.")
    var readonly = false

    @Option(name: .long, help: ArgumentHelp("Theme name or file (TUI).", valueName: "name|path"))
    var theme: String?

    @Flag(name: .long, help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    var storeDirectory: String {
        if let store, !store.isEmpty { return store }
        return StoreLayout.defaultDirectory(environment: ProcessInfo.processInfo.environment)
    }
}
