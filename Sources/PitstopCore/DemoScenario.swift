import Foundation

/// Plays one task of the demo fleet through a believable history, by the real mutations.
/// Which story a task gets depends on its position, so every state shows up in a fleet of eight tasks or more.
struct DemoScenario {
    let index: Int
    let taskCount: Int
    let now: Date

    private enum Story {
        case finished, runningSoon, reservedLater, awaitingReservation, halfReserved, failedRollout, excluded, untouched
    }

    private var story: Story {
        if index == 5 && taskCount > 8 { return .excluded }
        switch index % 8 {
        case 0: return .finished
        case 1: return .runningSoon
        case 2: return .reservedLater
        case 3: return .awaitingReservation
        case 4: return .halfReserved
        case 5: return .failedRollout
        case 6: return .runningSoon
        default: return .untouched
        }
    }

    private func context(_ at: Date) -> MutationContext {
        MutationContext(now: at, actor: index % 2 == 0 ? "ops@bastion (cli)" : "dba@laptop (tui)", timeZone: TimeZone(identifier: "UTC")!)
    }

    func play(_ task: MaintenanceTask, on state: inout FleetState, rng: inout SeededGenerator) {
        let ids = task.resources.map(\.id)
        switch story {
        case .finished:
            for (n, id) in ids.enumerated() { execute(task, id, day: -3, slot: n, outcome: n == 1 ? .exclude : .complete, on: &state) }
        case .runningSoon:
            let historyCount = ids.count / 3
            for (n, id) in ids.enumerated() {
                if n < historyCount {
                    execute(task, id, day: -1, slot: n, outcome: n % 4 == 3 ? .fail(times: 1) : .complete, on: &state)
                } else {
                    // Planned five minutes ago, due from ten seconds from now: the engine starts them at once.
                    let at = now.addingTimeInterval(10 + Double(n - historyCount) * 20)
                    _ = try? state.apply(.reserve(taskID: task.id, selection: .ids([id]), at: at, stagger: nil, force: false), context: context(now.addingTimeInterval(-300)))
                }
            }
        case .reservedLater:
            for (n, id) in ids.enumerated() {
                let at = now.addingTimeInterval(2 * 86400 + Double(n) * 300)
                _ = try? state.apply(.reserve(taskID: task.id, selection: .ids([id]), at: at, stagger: nil, force: false), context: context(now.addingTimeInterval(-3600)))
            }
        case .awaitingReservation, .untouched:
            break
        case .halfReserved:
            for (n, id) in ids.enumerated() where n % 2 == 0 {
                let at = now.addingTimeInterval(86400 + Double(n) * 300 + Double(Int.random(in: 0...5, using: &rng)) * 60)
                _ = try? state.apply(.reserve(taskID: task.id, selection: .ids([id]), at: at, stagger: nil, force: false), context: context(now.addingTimeInterval(-7200)))
            }
        case .failedRollout:
            for (n, id) in ids.enumerated() {
                execute(task, id, day: -4, slot: n, outcome: .fail(times: n == 0 ? 3 : 1), on: &state)
            }
        case .excluded:
            _ = try? state.apply(.exclude(taskID: task.id, resourceIDs: ids), context: context(now.addingTimeInterval(-86400)))
        }
    }

    private enum Outcome {
        case complete
        case fail(times: Int)
        case exclude
    }

    /// Reserves, runs and ends one resource in the past, `day` days from now.
    private func execute(_ task: MaintenanceTask, _ id: String, day: Int, slot: Int, outcome: Outcome, on state: inout FleetState) {
        if case .exclude = outcome {
            _ = try? state.apply(.exclude(taskID: task.id, resourceIDs: [id]), context: context(now.addingTimeInterval(Double(day - 1) * 86400)))
            return
        }
        let runs: Int
        if case .fail(let times) = outcome { runs = times } else { runs = 1 }
        for run in 0..<runs {
            let start = now.addingTimeInterval(Double(day - (runs - 1 - run)) * 86400 + Double(slot) * 120)
            guard (try? state.apply(.reserve(taskID: task.id, selection: .ids([id]), at: start, stagger: nil, force: true), context: context(start.addingTimeInterval(-7200)))) != nil else { return }
            let engine = { (at: Date) in MutationContext(now: at, actor: "engine", timeZone: TimeZone(identifier: "UTC")!) }
            _ = try? state.apply(.start(taskID: task.id, resourceID: id), context: engine(start))
            if case .fail = outcome {
                if task.retries > 0 {
                    _ = try? state.apply(.failAttempt(taskID: task.id, resourceID: id, message: "replication lag above 30s; aborting"), context: engine(start.addingTimeInterval(40)))
                }
                _ = try? state.apply(.fail(taskID: task.id, resourceID: id, message: "exit status 2: replica not in sync after the restart (lag 45s)"), context: engine(start.addingTimeInterval(90)))
            } else {
                _ = try? state.apply(.complete(taskID: task.id, resourceID: id, message: "upgrade finished, health check passed"), context: engine(start.addingTimeInterval(60)))
            }
        }
    }
}
