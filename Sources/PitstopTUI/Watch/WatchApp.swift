public import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop watch`: the read-only screen for a wall or ops terminal, and its one-frame text form.
public enum WatchApp {
    /// How the watch screen is opened: the command line's choices.
    public struct Options: Sendable {
        /// The store (opened read-only) and the look, as the console has them too.
        public var screen: ScreenOptions
        /// Seconds between refreshes when the store does not announce changes.
        public var interval: TimeInterval
        /// Only this task, when set.
        public var taskID: String?

        /// Options as the command line parsed them.
        public init(storeDirectory: String, interval: TimeInterval, taskID: String?, theme: String?, noColor: Bool, themeDirectories: [String]) {
            screen = ScreenOptions(storeDirectory: storeDirectory, theme: theme, noColor: noColor, themeDirectories: themeDirectories)
            self.interval = interval
            self.taskID = taskID
        }
    }

    static func engineStatus(_ directory: String) -> EngineStatus {
        EngineStatus.holder(ofStore: directory, none: "none running")
    }

    static func openStore(_ options: Options) throws -> Store {
        let store = try Store.open(options.screen.storeDirectory, options: StoreOptions(readOnly: true))
        if let id = options.taskID, store.state.task(id: id) == nil { throw MutationError.unknownTask(id) }
        return store
    }

    /// One frame as text: no terminal, no escapes unless `color`. Returns the text and whether anything failed.
    public static func once(_ options: Options, width: Int, color: Bool) throws -> (text: String, failing: Bool) {
        let store = try openStore(options)
        var state = WatchState(width: max(WatchView.minimumWidth, width), height: 48, now: Date(), zone: .current, storePath: store.directory, taskID: options.taskID)
        state.engine = engineStatus(store.directory)
        state.replicaProblem = ReplicaTrouble(store, zone: state.zone)
        state.interval = options.interval
        let buffer = WatchView.render(state, fleet: store.state)
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
        let used = (lines.lastIndex { !$0.isEmpty } ?? 0) + 1
        let text: String
        if color {
            let theme = options.screen.theme.map { ThemeParser.load($0, directories: options.screen.themeDirectories).0 } ?? .builtIn
            text = AnsiText.render(buffer, theme: theme, lines: used)
        } else {
            text = lines.prefix(used).joined(separator: "\n") + "\n"
        }
        return (text, WatchView.isFailing(store.state, state))
    }

    /// The full-screen watch loop: redraws as the store changes; `q` quits, `p` pauses, `+`/`-` change the interval.
    public static func run(_ options: Options, environment: ConsoleEnvironment = .process()) throws {
        // The config file's theme and watch keys; a bad file is left out here (the console and `config check` say why).
        let (config, _) = ConsoleConfig.load(environment: environment.variables)
        try config.withModeKeys { try run(options, environment: environment, config: config) }
    }

    private static func run(_ options: Options, environment: ConsoleEnvironment, config: ConsoleConfig) throws {
        let store = try openStore(options)
        // A bad theme falls back to the default; the watch screen has no notification line to say so.
        let setup = try ConsoleSetup(options.screen, environment: environment, configTheme: config.theme)
        let terminal = setup.terminal
        defer { terminal.end() }
        let follower = StoreFollower(store: store)
        var state = WatchState(
            width: terminal.size.width, height: terminal.size.height, now: environment.now(), zone: .current, storePath: store.directory,
            taskID: options.taskID)
        state.interval = options.interval
        state.engine = engineStatus(store.directory)
        var lastPoll = environment.now()
        var lastEngineCheck = Date.distantPast
        while !environment.stopRequested() {
            terminal.draw(WatchView.render(state, fleet: store.state))
            let wake = follower.wait(timeout: min(1, state.interval), extraDescriptors: [terminal.inputDescriptor])
            var quit = false
            for key in terminal.readKeys() {
                if key == .resize {
                    (state.width, state.height) = terminal.size
                    continue
                }
                if key == .escape && state.showHelp {
                    state.showHelp = false
                    continue
                }
                switch OverlayKeys.watch.command(for: key) {
                case .quit?: quit = true
                case .pause?: state.paused.toggle()
                case .slower?: state.interval = min(60, state.interval * 2)
                case .faster?: state.interval = max(0.25, state.interval / 2)
                case .help?: state.showHelp.toggle()
                case .repaint?: terminal.repaint()
                case nil: break
                }
            }
            if quit || terminal.hungUp { break }
            state.now = environment.now()
            if !state.paused && (wake.contains(.store) || state.now.timeIntervalSince(lastPoll) >= state.interval) {
                _ = try follower.poll()
                lastPoll = state.now
                state.replicaProblem = ReplicaTrouble(store, zone: state.zone)
            }
            if state.now.timeIntervalSince(lastEngineCheck) >= 5 {
                state.engine = engineStatus(store.directory)
                lastEngineCheck = state.now
            }
        }
    }
}
