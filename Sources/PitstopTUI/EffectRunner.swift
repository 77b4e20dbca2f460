import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// Runs what the reducer asks of the outside world and turns each result into messages for the reducer:
/// a write becomes `.fleetChanged` and `.saved`, or `.writeFailed`; nothing here calls the reducer itself.
struct EffectRunner {
    let store: Store
    let terminal: any TerminalBackend
    let actor: String
    let themeDirectories: [String]
    let noColor: Bool
    let now: () -> Date
    /// Where slow work runs, off the loop; its results come back as messages.
    let background: BackgroundWork
    /// Where `:` lines are kept.
    var history = CommandHistory(environment: [:])

    func run(_ effect: Effect, state: AppState) -> [AppMessage] {
        switch effect {
        case .quit:
            return []
        case .repaint:
            terminal.repaint()
            return []
        case .remember(let line):
            return history.append(line).map { [.notify(StatusLine(text: $0, level: .warning))] } ?? []
        case .loadTheme(let name):
            return switchTheme(to: name)
        case .copy(let text, let said):
            terminal.copyToClipboard(text)
            return [.notify(StatusLine(text: said, level: .info))]
        case .mutate(let mutation, let success, let expecting):
            do {
                let undoable = UndoEntry.undoes(mutation).flatMap { store.state.task(id: $0) }
                let commit = try store.mutate(mutation, context: MutationContext(now: now(), actor: actor, timeZone: state.zone), expecting: expecting)
                // What `u` would put back: the task's resources before this write against after it.
                let entry = undoable.flatMap { before in
                    store.state.task(id: before.id).flatMap { after in
                        UndoEntry.of(taskID: before.id, before: before, after: after, sequence: commit.batch.events.first?.sequence ?? commit.sequence, what: success)
                    }
                }
                return changes() + [.saved(success)] + (entry.map { [.undoable($0)] } ?? [])
            } catch MutationError.changedMeanwhile {
                // Between the last look and the write: the store has the newer state now, and says whose.
                let said = ChangedMeanwhile.overtaken(expecting, fleet: store.state, zone: state.zone, now: now())?.said ?? "resources of this change"
                if case .restore = mutation {
                    return changes() + [.writeFailed("not undone: changed since by another writer or the engine: \(said); nothing was put back")]
                }
                return changes() + [.writeFailed("not saved: changed meanwhile by another writer: \(said); look again and retry")]
            } catch StoreError.lockTimeout {
                return [.writeFailed("the store is busy: another process holds its lock; nothing changed, try again")]
            } catch {
                if case .restore = mutation { return [.writeFailed("not undone: \(error)")] }
                return [.writeFailed("\(error)")]
            }
        case .cancel(let taskID, let resourceIDs):
            let line = cancel(taskID: taskID, resourceIDs: resourceIDs, zone: state.zone)
            return changes() + [.notify(line)]
        case .plan(let taskID):
            // A run of the engine over a copy of the fleet: seconds on a large one, so never on the loop.
            let (fleet, at) = (store.state, now())
            background.run {
                do {
                    return .planReady(taskID: taskID, try PlanPreview.simulate(fleet, now: at, taskID: taskID))
                } catch {
                    return .planFailed(taskID: taskID, "\(error)")
                }
            }
            return []
        case .rehearse(let taskID, let resourceIDs):
            return [.notify(rehearse(taskID: taskID, resourceIDs: resourceIDs))]
        case .cycleTheme:
            let names = ThemeParser.available(in: themeDirectories)
            guard !names.isEmpty else {
                return [.notify(StatusLine(text: "no theme files found in \(themeDirectories.first ?? "Themes/")", level: .warning))]
            }
            return switchTheme(to: names[((names.firstIndex(of: state.themeName) ?? -1) + 1) % names.count], cycling: true)
        }
    }

    /// Loads a theme into the terminal and says so; a bad file leaves the default theme, and says why. Cycling
    /// (`t`) keeps the bad file's name, so that the next `t` goes on past it.
    private func switchTheme(to name: String, cycling: Bool = false) -> [AppMessage] {
        let (loaded, error) = ThemeParser.load(name, directories: themeDirectories)
        terminal.apply(loaded)
        let line = error.map { StatusLine(text: "theme: \($0); using the default theme", level: .error) }
            ?? StatusLine(text: "theme: \(name)\(noColor ? " (colours are off: NO_COLOR or --no-color)" : "")", level: .info)
        return [.themeChanged(error == nil || cycling ? name : "default"), .notify(line)]
    }

    /// What the store holds now that this process wrote: read at once, so the screen shows the write.
    private func changes() -> [AppMessage] {
        switch try? store.poll() {
        case .changes?, .reloaded?: return [.fleetChanged]
        case .unchanged?, nil: return []
        }
    }

    /// Starts `pitstop rehearse` for the resources, detached from the screen: it may take minutes, and what it
    /// finds comes back through the store as `rehearsed` events, like any other writer's.
    private func rehearse(taskID: String, resourceIDs: [String]) -> StatusLine {
        let process = Process()
        let program = SupervisedExecutors.runningProgram
        guard URL(fileURLWithPath: program).lastPathComponent == "pitstop" else {
            return StatusLine(text: "rehearse: run `pitstop rehearse \(taskID)` (this console is not the pitstop program)", level: .warning)
        }
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--store", store.directory, "rehearse", taskID] + resourceIDs
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            let count = "\(resourceIDs.count) resource\(resourceIDs.count == 1 ? "" : "s")"
            return StatusLine(text: "rehearsing \(count) of \(taskID) in the background; each verdict appears beside its resource", level: .info)
        } catch {
            return StatusLine(text: "could not start pitstop rehearse: \(error)", level: .error)
        }
    }

    /// Cancels through the supervisors and says what happened, in one line.
    private func cancel(taskID: String, resourceIDs: [String], zone: TimeZone) -> StatusLine {
        var said: [String] = []
        var failed = false
        for id in resourceIDs {
            do {
                switch try AttemptCanceller.cancel(store: store, taskID: taskID, resourceID: id, actor: actor, now: now(), zone: zone) {
                case .signalled(let attempt, _): said.append("\(id): stopping attempt \(attempt)")
                case .recorded: said.append("\(id): cancelled")
                case .alreadyEnded: said.append("\(id): had already ended")
                }
            } catch {
                failed = true
                said.append("\(id): \(error)")
            }
        }
        return StatusLine(text: said.joined(separator: "; "), level: failed ? .error : .success)
    }
}
