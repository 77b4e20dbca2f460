import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// The interactive console: opens the store, the terminal and (unless told otherwise) an embedded engine,
/// then runs one serial loop: wait for a key, a store change or the clock; reduce; render.
public enum TUIApp {
    public struct Options: Sendable {
        public var storeDirectory: String
        public var readonly: Bool
        public var noEngine: Bool
        public var theme: String?
        public var noColor: Bool
        public var themeDirectories: [String]

        public init(storeDirectory: String, readonly: Bool, noEngine: Bool, theme: String?, noColor: Bool, themeDirectories: [String]) {
            self.storeDirectory = storeDirectory
            self.readonly = readonly
            self.noEngine = noEngine
            self.theme = theme
            self.noColor = noColor
            self.themeDirectories = themeDirectories
        }
    }

    /// Where theme files are looked for: `$PITSTOP_THEMES`, `Themes/` beside the working directory, and
    /// `Themes/` of the checkout the binary was built in.
    public static func themeDirectories(environment: [String: String], executable: String) -> [String] {
        var directories: [String] = []
        if let explicit = environment["PITSTOP_THEMES"], !explicit.isEmpty { directories.append(explicit) }
        directories.append(FileManager.default.currentDirectoryPath + "/Themes")
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            directories.append(url.appendingPathComponent("Themes").path)
            url = url.deletingLastPathComponent()
        }
        directories.append("/usr/local/share/pitstop/themes")
        return directories
    }

    public static func run(_ options: Options) throws {
        let store = try Store.open(options.storeDirectory, options: StoreOptions(readOnly: options.readonly, create: false))
        var engine: EmbeddedEngine?
        var engineStatus: EngineStatus
        if options.readonly || options.noEngine {
            let holder = EngineLock.holder(storeDirectory: store.directory)
            engineStatus = holder.map { .daemon(pid: $0) } ?? .none(reason: options.readonly ? "read-only" : "--no-engine")
        } else {
            do {
                engine = try EmbeddedEngine(storeDirectory: store.directory)
                engineStatus = .embedded(running: 0)
            } catch EngineLockError.heldBy(let pid, _) {
                engineStatus = pid.map { .daemon(pid: $0) } ?? .none(reason: "another engine holds the store")
            }
        }
        defer { engine?.stop() }

        var (theme, themeError) = (Theme.builtIn, ThemeError?.none)
        let themeName = options.theme ?? ProcessInfo.processInfo.environment["PITSTOP_THEME"]
        if let themeName { (theme, themeError) = ThemeParser.load(themeName, directories: options.themeDirectories) }
        let noColor = options.noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty

        let terminal = NcursesTerminal(theme: theme, noColor: noColor)
        defer { terminal.end() }
        let signals = SignalFlag([SIGINT, SIGTERM, SIGHUP])
        let follower = StoreFollower(store: store)
        let size = terminal.size
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        let shownPath = !home.isEmpty && store.directory.hasPrefix(home) ? "~" + store.directory.dropFirst(home.count) : store.directory
        var state = AppState(width: size.width, height: size.height, now: Date(), zone: .current, storePath: shownPath, readonly: options.readonly)
        state.engine = engineStatus
        state.themeName = theme.name
        state.refreshVisibleTasks(store.state)
        for warning in store.warnings { state.notification = Notification(text: warning, level: .warning) }
        if let themeError { state.notification = Notification(text: "theme: \(themeError); using the default theme", level: .error) }

        let actor = LocalActor.name(via: "tui")
        var frame: CellBuffer?
        while !state.quit {
            if state.topOverlay.map(isOutput) == true { state.outputLines = outputLines(state, store) }
            let next = Renderer.render(state, fleet: store.state)
            if next != frame {
                terminal.draw(next)
                frame = next
            }
            let wake = follower.wait(timeout: 0.5, extraDescriptors: [STDIN_FILENO])
            if signals.received != nil { break }
            var messages: [AppMessage] = terminal.readKeys().map { key in
                if key == .resize {
                    let size = terminal.size
                    return .resized(width: size.width, height: size.height)
                }
                return .key(key)
            }
            if wake.contains(.store) || wake.contains(.timeout) {
                switch try follower.poll() {
                case .unchanged: break
                case .changes, .reloaded: messages.append(.fleetChanged)
                }
            }
            messages.append(.tick(Date()))
            if let engine {
                let status = engine.status
                if status != state.engine { messages.append(.engine(status)) }
            }
            for message in messages {
                // Effects are collected before any runs: a fleet copy alive during a write would be copied by it.
                let effects = Reducer.reduce(&state, message, fleet: store.state)
                for effect in effects {
                    switch effect {
                    case .quit:
                        state.quit = true
                    case .mutate(let mutation, let success):
                        do {
                            try store.mutate(mutation, context: MutationContext(now: Date(), actor: actor, timeZone: state.zone))
                            _ = try store.poll()
                            _ = Reducer.reduce(&state, .fleetChanged, fleet: store.state)
                            _ = Reducer.reduce(&state, .mutationSucceeded(success), fleet: store.state)
                        } catch {
                            _ = Reducer.reduce(&state, .mutationFailed("\(error)"), fleet: store.state)
                        }
                    case .cycleTheme:
                        let names = ThemeParser.available(in: options.themeDirectories)
                        guard !names.isEmpty else {
                            _ = Reducer.reduce(&state, .notify(Notification(text: "no theme files found in \(options.themeDirectories.first ?? "Themes/")", level: .warning)), fleet: store.state)
                            continue
                        }
                        let nextName = names[((names.firstIndex(of: state.themeName) ?? -1) + 1) % names.count]
                        let (loaded, error) = ThemeParser.load(nextName, directories: options.themeDirectories)
                        terminal.apply(loaded)
                        state.themeName = nextName
                        frame = nil
                        let note = error.map { Notification(text: "theme: \($0); using the default theme", level: .error) }
                            ?? Notification(text: "theme: \(nextName)\(noColor ? " (colours are off: NO_COLOR or --no-color)" : "")", level: .info)
                        _ = Reducer.reduce(&state, .notify(note), fleet: store.state)
                    }
                }
            }
        }
    }

    private static func isOutput(_ overlay: Overlay) -> Bool {
        if case .output = overlay { return true }
        return false
    }

    /// The latest attempt's output file of the resource in the output overlay, or its last message.
    static func outputLines(_ state: AppState, _ store: Store) -> [String] {
        guard case .output(let taskID, let resourceID, _) = state.topOverlay,
            let resource = store.state.task(id: taskID)?.resources.first(where: { $0.id == resourceID })
        else { return [] }
        for attempt in stride(from: max(resource.attempts, 1), through: 1, by: -1) {
            let path = StandardExecutors.outputDirectory(storeDirectory: store.directory) + "/" + ExecutionJob.outputFileName(taskID: taskID, resourceID: resourceID, attempt: attempt)
            if let data = FileManager.default.contents(atPath: path) {
                let text = String(decoding: data.suffix(64 * 1024), as: UTF8.self)
                return ["── attempt \(attempt): \(path)"] + text.split(separator: "\n", omittingEmptySubsequences: false).suffix(500).map(String.init)
            }
        }
        return resource.lastMessage.isEmpty ? [] : ["(no output file: \(resource.lastMessage.hasPrefix("SIM") ? "simulated executor" : "nothing recorded yet"))", resource.lastMessage]
    }
}
