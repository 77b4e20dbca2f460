/// What the console and the watch screen are both opened with: the store, and how the terminal looks. Each
/// screen's own options add what only it has (`TUIApp.Options`, `WatchApp.Options`).
public struct ScreenOptions: Sendable {
    /// The store to open.
    public var storeDirectory: String
    /// A theme name or file, else `PITSTOP_THEME`, else the default.
    public var theme: String?
    /// No colours (`--no-color`; `NO_COLOR` is read from the environment).
    public var noColor: Bool
    /// Where theme names are looked up, in order.
    public var themeDirectories: [String]

    /// Options as the command line parsed them.
    public init(storeDirectory: String, theme: String?, noColor: Bool, themeDirectories: [String]) {
        self.storeDirectory = storeDirectory
        self.theme = theme
        self.noColor = noColor
        self.themeDirectories = themeDirectories
    }
}
