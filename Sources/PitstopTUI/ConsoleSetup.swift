import Foundation
import PitstopEngine

/// The set-up the console and the watch screen share: the theme (`--theme`, else `PITSTOP_THEME`, else the config
/// file's; a bad file
/// falls back to the default and says why), colours (`--no-color` or `NO_COLOR`) and the terminal.
struct ConsoleSetup {
    let terminal: any TerminalBackend
    let theme: Theme
    let themeError: ThemeError?
    let noColor: Bool

    init(_ options: ScreenOptions, environment: ConsoleEnvironment, configTheme: String? = nil) throws {
        var (theme, themeError) = (Theme.builtIn, ThemeError?.none)
        if let name = options.theme ?? environment.variables["PITSTOP_THEME"] ?? configTheme {
            (theme, themeError) = ThemeParser.load(name, directories: options.themeDirectories)
        }
        self.theme = theme
        self.themeError = themeError
        self.noColor = options.noColor || !(environment.variables["NO_COLOR"] ?? "").isEmpty
        terminal = try environment.makeTerminal(theme, self.noColor)
    }
}
