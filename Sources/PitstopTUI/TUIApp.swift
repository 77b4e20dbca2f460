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
        // Runs last, after the terminal is restored and the engine here stopped (defers run in reverse):
        // quitting leaves attempts running, and says so.
        defer { FileHandle.standardError.write(Data(leavingNote(store).utf8)) }
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
                    case .cancel(let taskID, let resourceIDs):
                        let note = cancel(taskID: taskID, resourceIDs: resourceIDs, store: store, actor: actor, zone: state.zone)
                        _ = try? store.poll()
                        _ = Reducer.reduce(&state, .fleetChanged, fleet: store.state)
                        _ = Reducer.reduce(&state, .notify(note), fleet: store.state)
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

    /// What keeps running after the console leaves, and who records it; empty when nothing runs.
    static func leavingNote(_ store: Store) -> String {
        _ = try? store.poll()
        let running = store.state.tasks.reduce(0) { $0 + $1.resources.filter { $0.status == .inProgress }.count }
        guard running > 0 else { return "" }
        let recorder = EngineLock.holder(storeDirectory: store.directory).map { "the engine in process \($0) records how they end" }
            ?? "the next engine (`pitstop daemon`, or a console) records how they end"
        return "pitstop: \(running) attempt\(running == 1 ? "" : "s") keep\(running == 1 ? "s" : "") running under \(running == 1 ? "its supervisor" : "their supervisors"); \(recorder). `pitstop cancel TASK RESOURCE` stops one.\n"
    }

    /// Cancels through the supervisors and says what happened, in one line.
    static func cancel(taskID: String, resourceIDs: [String], store: Store, actor: String, zone: TimeZone) -> Notification {
        var said: [String] = []
        var failed = false
        for id in resourceIDs {
            do {
                switch try AttemptCanceller.cancel(store: store, taskID: taskID, resourceID: id, actor: actor, now: Date(), zone: zone) {
                case .signalled(let attempt, _): said.append("\(id): stopping attempt \(attempt)")
                case .recorded: said.append("\(id): cancelled")
                case .alreadyEnded: said.append("\(id): had already ended")
                }
            } catch {
                failed = true
                said.append("\(id): \(error)")
            }
        }
        return Notification(text: said.joined(separator: "; "), level: failed ? .error : .success)
    }

    private static func isOutput(_ overlay: Overlay) -> Bool {
        if case .output = overlay { return true }
        return false
    }

    /// The output of the resource's current (or last) attempt, from its file in `outputs/`, re-read on every
    /// frame while the overlay is open, so a running attempt is followed live.
    static func outputLines(_ state: AppState, _ store: Store) -> [String] {
        guard case .output(let taskID, let resourceID, _) = state.topOverlay,
            let resource = store.state.task(id: taskID)?.resources.first(where: { $0.id == resourceID })
        else { return [] }
        guard let attemptID = resource.attemptID else {
            return resource.lastMessage.isEmpty ? ["(no attempt has run yet)"] : ["(no attempt has run yet)", resource.lastMessage]
        }
        let path = AttemptFiles(storeDirectory: store.directory).output(attemptID)
        guard let data = FileManager.default.contents(atPath: path) else {
            return ["(no output file for attempt \(attemptID): \(path))", resource.lastMessage]
        }
        let running = resource.status == .inProgress ? ", running" : ""
        let text = String(decoding: data.suffix(64 * 1024), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("PITSTOP_PROGRESS=") }
        return ["── attempt \(resource.attempts) (id \(attemptID)\(running)): \(path)"] + lines.suffix(500)
    }
}
