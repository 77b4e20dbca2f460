import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// The interactive console: opens the store, the terminal and (unless told otherwise) an embedded engine,
/// then runs one serial loop: wait for a key, a store change or the clock; reduce; render.
public enum TUIApp {
    /// How the console is opened: the command line's choices.
    public struct Options: Sendable {
        /// The store and the look, as the watch screen has them too.
        public var screen: ScreenOptions
        /// Hide and refuse every key that changes the store.
        public var readonly: Bool
        /// Run no engine in this window (one may run elsewhere).
        public var noEngine: Bool

        /// Options as the command line parsed them.
        public init(storeDirectory: String, readonly: Bool, noEngine: Bool, theme: String?, noColor: Bool, themeDirectories: [String]) {
            screen = ScreenOptions(storeDirectory: storeDirectory, theme: theme, noColor: noColor, themeDirectories: themeDirectories)
            self.readonly = readonly
            self.noEngine = noEngine
        }
    }

    /// Where theme files are looked for: `$PITSTOP_THEMES`, `Themes/` beside the working directory, `Themes/`
    /// of the checkout the binary was built in, and `share/pitstop/themes` of the tree it is installed in.
    public static func themeDirectories(environment: [String: String], executable: String) -> [String] {
        var directories: [String] = []
        if let explicit = environment["PITSTOP_THEMES"], !explicit.isEmpty { directories.append(explicit) }
        directories.append(FileManager.default.currentDirectoryPath + "/Themes")
        let binDirectory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        var url = binDirectory
        for _ in 0..<4 {
            directories.append(url.appendingPathComponent("Themes").path)
            url = url.deletingLastPathComponent()
        }
        directories.append(binDirectory.deletingLastPathComponent().appendingPathComponent("share/pitstop/themes").path)
        return directories
    }

    /// How long a write from the console waits for the store's lock before it says "store busy": a person is
    /// waiting, and the screen must not freeze behind another process's long write.
    static let writeLockTimeout: TimeInterval = 0.5

    /// Runs the console until `q` or a stop signal; the terminal is given back on every exit path.
    public static func run(_ options: Options, environment: ConsoleEnvironment = .process()) throws {
        // The config file: a bad one is said on the first screen, and the defaults are used.
        let (config, configProblem) = ConsoleConfig.load(environment: environment.variables)
        try config.withModeKeys { try run(options, environment: environment, config: config, configProblem: configProblem) }
    }

    private static func run(_ options: Options, environment: ConsoleEnvironment, config: ConsoleConfig, configProblem: String?) throws {
        let store = try Store.open(
            options.screen.storeDirectory, options: StoreOptions(readOnly: options.readonly, create: false, lockTimeout: writeLockTimeout))
        // The terminal first: a terminal that cannot be opened starts no engine. It is given back after the
        // engine here stopped (defers run in reverse).
        let setup = try ConsoleSetup(options.screen, environment: environment, configTheme: config.theme)
        // Runs after the terminal is given back (defers run in reverse): quitting leaves attempts running, and says so.
        defer { FileHandle.standardError.write(Data(leavingNote(store).utf8)) }
        let terminal = setup.terminal
        defer { terminal.end() }
        var engine: EmbeddedEngine?
        let wantsEngine = !(options.readonly || options.noEngine)
        // Why no engine runs here when none runs anywhere: said the same at start, on `fg` and when one leaves.
        let noEngine = options.readonly ? "read-only" : wantsEngine ? "none running" : "--no-engine"
        var engineStatus: EngineStatus
        if wantsEngine {
            (engine, engineStatus) = try startEngine(store.directory)
        } else {
            engineStatus = EngineStatus.holder(ofStore: store.directory, none: noEngine)
        }
        defer { engine?.stop() }
        // Another process's engine is looked at now and then: it may stop, be stopped, or go away.
        var lastEngineLook = environment.now()

        let follower = StoreFollower(store: store)
        let size = terminal.size
        let home = environment.variables["HOME"] ?? ""
        let shownPath = !home.isEmpty && store.directory.hasPrefix(home) ? "~" + store.directory.dropFirst(home.count) : store.directory
        var state = AppState(width: size.width, height: size.height, now: environment.now(), zone: .current, storePath: shownPath, readonly: options.readonly)
        state.engine = engineStatus
        state.themeName = setup.theme.name
        state.keys = config.keys
        state.sort = config.sort
        state.sortDescending = config.sortDescending
        state.refreshVisibleTasks(store.state)
        // Who changed each resource is looked up through the log's index: built meanwhile, not on the first key.
        // The filter's index too: the first key typed into `/` finds it ready (SPEC §17).
        let background = BackgroundWork()
        prepareLogIndex(store, background)
        prepareSearchIndex(store, background)
        let history = CommandHistory(environment: environment.variables)
        state.commandHistory = history.load()
        state.themeNames = ThemeParser.available(in: options.screen.themeDirectories)
        for warning in store.warnings { state.notification = StatusLine(text: warning, level: .warning) }
        if let themeError = setup.themeError { state.notification = StatusLine(text: "theme: \(themeError); using the default theme", level: .error) }
        if let configProblem { state.notification = StatusLine(text: "config: \(configProblem); using the defaults", level: .error) }

        var effects = EffectRunner(
            store: store, terminal: terminal, actor: LocalActor.name(via: "tui"), themeDirectories: options.screen.themeDirectories,
            noColor: setup.noColor, now: environment.now, background: background)
        effects.history = history
        var frame: CellBuffer?
        // The output overlay's file, followed: each look reads only what the command appended since the last.
        var output: AttemptOutput?
        while !state.quit {
            // The output overlay's file is read here, the one place that touches files; the overlay is told.
            if let shown = state.overlays.top(as: OutputOverlay.self) {
                let lines = outputLines(shown.taskID, shown.resourceID, attempt: shown.attempt, store, following: &output)
                if lines != shown.lines { _ = Reducer.reduce(&state, .output(taskID: shown.taskID, resourceID: shown.resourceID, lines), fleet: store.state) }
            }
            let next = Renderer.render(state, fleet: store.state)
            if next != frame {
                terminal.draw(next)
                frame = next
            }
            let wake = follower.wait(timeout: 0.5, extraDescriptors: [terminal.inputDescriptor, background.descriptor] + environment.wakeDescriptors)
            if environment.stopRequested() || terminal.hungUp { break }
            if environment.suspendRequested() {
                // Ctrl-Z: the engine's lock is given up before the process stops, so that another engine may run
                // the store meanwhile; it is taken back on `fg` only if nobody took it.
                let hadEngine = engine != nil
                engine?.stop()
                engine = nil
                terminal.suspend()
                environment.suspendProcess()
                terminal.repaint()
                frame = nil
                var status = EngineStatus.holder(ofStore: store.directory, none: noEngine)
                if hadEngine { (engine, status) = try startEngine(store.directory) }
                state.engine = status
                let said = engine != nil ? "resumed; the engine runs here again"
                    : hadEngine ? "resumed; \(status.label) — another process took the engine while this console was stopped" : "resumed"
                state.notification = StatusLine(text: said, level: .info)
            }
            // What other writers did comes before the keys read with it: a key answers the screen as it is now,
            // so an editor's Enter sees a change that landed while the person was typing.
            var messages: [AppMessage] = []
            if wake.contains(.store) || wake.contains(.timeout) {
                switch try follower.poll() {
                case .unchanged: break
                case .changes: messages.append(.fleetChanged)
                case .reloaded:
                    prepareLogIndex(store, background)
                    prepareSearchIndex(store, background)
                    messages.append(.fleetChanged)
                }
            }
            messages += terminal.readKeys().map { key in
                if key == .resize {
                    let size = terminal.size
                    return .resized(width: size.width, height: size.height)
                }
                return .key(key)
            }
            messages += background.drain()
            let problem = ReplicaTrouble(store, zone: state.zone)
            if problem != state.replicaProblem { messages.append(.replica(problem: problem)) }
            messages.append(.tick(environment.now()))
            if let engine {
                let status = engine.status
                if status != state.engine { messages.append(.engine(status)) }
            } else if environment.now().timeIntervalSince(lastEngineLook) >= 2 {
                lastEngineLook = environment.now()
                let status = EngineStatus.holder(ofStore: store.directory, none: noEngine)
                if status != state.engine { messages.append(.engine(status)) }
            }
            // Messages in order; each effect's result comes back as the next messages (Elm's Cmd → Msg).
            while !messages.isEmpty {
                let message = messages.removeFirst()
                for effect in Reducer.reduce(&state, message, fleet: store.state) {
                    let results = effects.run(effect, state: state)
                    if effect == .cycleTheme || effect == .repaint { frame = nil }
                    messages.insert(contentsOf: results, at: 0)
                }
            }
        }
    }

    /// The engine inside this console, or who else runs it when its lock is taken.
    private static func startEngine(_ directory: String) throws -> (EmbeddedEngine?, EngineStatus) {
        do {
            return (try EmbeddedEngine(storeDirectory: directory), .embedded(running: 0))
        } catch EngineLockError.heldBy(let pid, _) {
            return (nil, EngineStatus.of(holder: pid, none: "another engine holds the store"))
        } catch EngineLockError.notOwner(let owner, _) {
            return (nil, EngineStatus.holder(ofStore: directory, none: "a team store's engine runs as its owner, \(owner)"))
        }
    }

    /// Builds the filter's index of the store's tasks on another thread; the loop hands it to the reducer.
    private static func prepareSearchIndex(_ store: Store, _ background: BackgroundWork) {
        let (tasks, version) = (store.state.tasks, store.state.catalogVersion)
        background.run {
            // The tasks a lazily opened store has not decoded yet decode here, on two threads: the loop's later
            // reads then decode nothing.
            tasks.decodeAll()
            return .searchIndexReady(TaskSearchIndex(Array(tasks), catalogVersion: version))
        }
        // And the sorted ids that `:task` and `:res` complete from.
        let fleet = store.state
        background.run { .idIndexReady(FleetIDIndex(fleet)) }
    }

    /// Builds the store's log index on another thread, so that the first lookup (the resource pane's BY
    /// column) does not wait for it. The pass checks every sealed record of the log: damage is said at once.
    private static func prepareLogIndex(_ store: Store, _ background: BackgroundWork) {
        guard let archive = store.state.events.archive else { return }
        background.run(qos: .utility) {
            archive.prepareIndex()
            let damage = archive.damage
            guard let first = damage.first else { return nil }
            let more = damage.count > 1 ? " (and \(damage.count - 1) more record(s))" : ""
            return .notify(StatusLine(text: "the event log is damaged: \(first)\(more)", level: .error))
        }
    }

    /// What keeps running after the console leaves, and who records it; empty when nothing runs.
    static func leavingNote(_ store: Store) -> String {
        _ = try? store.poll()
        let files = AttemptFiles(storeDirectory: store.directory)
        let running = store.state.tasks.reduce(0) { count, task in
            count + task.resources.filter { $0.status == .inProgress && $0.attemptID.map { AttemptFiles.isLocked(files.record($0)) } == true }.count
        }
        guard running > 0 else { return "" }
        let recorder = EngineLock.holder(storeDirectory: store.directory).flatMap { $0 == getpid() ? nil : $0 }.map { "the engine in process \($0) records how they end" }
            ?? "the next engine (`pitstop daemon`, or a console) records how they end"
        return "pitstop: \(running) attempt\(running == 1 ? "" : "s") keep\(running == 1 ? "s" : "") running under \(running == 1 ? "its supervisor" : "their supervisors"); \(recorder). `pitstop cancel TASK RESOURCE` stops one.\n"
    }


    /// The output of the resource's current (or last) attempt, from its file in `outputs/`, re-read on every
    /// frame while the overlay is open, so a running attempt is followed live.
    static func outputLines(_ taskID: String, _ resourceID: String, attempt: UInt64? = nil, _ store: Store, following output: inout AttemptOutput?) -> [String] {
        guard let resource = store.state.task(id: taskID)?.resource(id: resourceID)
        else { return [] }
        // An event's attempt when it is an earlier one (its file as it was left), else the resource's current one.
        let earlier = attempt.flatMap { $0 != resource.attemptID ? $0 : nil }
        guard let attemptID = earlier ?? resource.attemptID else {
            return resource.lastMessage.isEmpty ? ["(no attempt has run yet)"] : ["(no attempt has run yet)", resource.lastMessage]
        }
        let path = AttemptFiles(storeDirectory: store.directory).output(attemptID)
        if output?.path != path { output = AttemptOutput(path: path, keep: 500) }
        output?.refresh()
        guard let output, output.found else {
            if earlier != nil { return ["(no output file for attempt \(attemptID): \(path); outputs are kept for outputRetention)"] }
            return ["(no output file for attempt \(attemptID): \(path))", resource.lastMessage]
        }
        let running = resource.status == .inProgress ? ", running" : ""
        let title = earlier != nil ? "── attempt id \(attemptID): \(path)" : "── attempt \(resource.attempts) (id \(attemptID)\(running)): \(path)"
        return [title] + output.lines + (output.unfinishedLine.map { [$0] } ?? [])
    }

}
