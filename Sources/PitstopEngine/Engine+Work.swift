import Foundation
import PitstopCore
import PitstopStore

/// The parts of a tick: executions, retries, missed starts, auto-reservations, due starts, notifications.
extension Engine {
    func pollExecutions() throws {
        let current = now
        for key in running.keys.sorted() {
            guard var entry = running[key], let execution = entry.execution else { continue }
            let job = entry.job
            let attempt = job.attemptID
            // Every outcome is written before the attempt is forgotten: if the store refuses the write (a full
            // disk), the next tick finds the same ended attempt and tries again.
            let status = execution.poll(now: current)
            // What Patroni said of the cluster's roles, before the outcome: a hold then sees the live roles.
            if let cluster = job.cluster, let roles = execution.reportedRoles, store.state.liveRolesDiffer(cluster: cluster, roles: roles) {
                try write(.observeRoles(cluster: cluster, roles: roles))
            }
            switch status {
            case .running(let progress, let message):
                guard let progress else { continue }
                let moved = progress - entry.lastProgress >= Self.progressStep
                let stale = current.timeIntervalSince(entry.lastProgressWrite) >= Self.progressInterval && progress != entry.lastProgress
                if moved || stale {
                    try write(.reportProgress(taskID: job.taskID, resourceID: job.resourceID, progress: progress, message: message, attempt: attempt))
                    entry.lastProgress = progress
                    entry.lastProgressWrite = current
                    running[key] = entry
                }
            case .finished(true, let message):
                try write(.complete(taskID: job.taskID, resourceID: job.resourceID, message: message, attempt: attempt))
                running[key] = nil
            case .finished(false, let message):
                try attemptFailed(key: key, job: job, message: message)
            case .cancelled(let by):
                let written = try write(.cancelAttempt(taskID: job.taskID, resourceID: job.resourceID, attempt: attempt, by: by))
                running[key] = nil
                if written != nil {
                    try notify(Notice(key: "cancelled:\(attempt)", taskID: job.taskID, resourceID: job.resourceID,
                                      message: "\(job.resourceName) (\(job.taskID)) attempt \(job.attempt) CANCELLED by \(by); it is failed and will not be retried"))
                }
            case .neverStarted:
                entry.restarts += 1
                guard entry.restarts < Self.restartLimit else {
                    try attemptFailed(key: key, job: job, message: "the supervisor of attempt \(attempt) stopped \(entry.restarts) times before starting the command")
                    continue
                }
                running[key] = entry
                try write(.recordAttempt(taskID: job.taskID, resourceID: job.resourceID, attempt: attempt, kind: .restarted,
                                         message: "the command of attempt \(job.attempt) never started; started again"))
                try launch(job, key: key)
            case .held(let reason):
                try precheckSaidNo(key: key, job: job, reason: reason)
            case .lost:
                let written = try write(.outcomeUnknown(taskID: job.taskID, resourceID: job.resourceID, attempt: attempt))
                running[key] = nil
                guard written != nil else { continue }
                try notify(Notice(key: "outcome-unknown:\(attempt)", taskID: job.taskID, resourceID: job.resourceID,
                                  message: "\(job.resourceName) (\(job.taskID)) OUTCOME UNKNOWN: the supervisor of attempt \(attempt) was lost after starting the command; check \(job.resourceName) before retrying"))
                try haltIfTooManyFailures(job.taskID)
            }
        }
    }

    /// A precheck that says no holds the resource, checked again each minute: a first attempt goes back to
    /// reserved (its start window decides how long); a retry waits in progress, for at most a start window.
    func precheckSaidNo(key: ResourceRef, job: ExecutionJob, reason: String) throws {
        let again = now.addingTimeInterval(Self.precheckInterval)
        if job.attempt <= 1 {
            running[key] = nil
            if try write(.precheckHeld(taskID: job.taskID, resourceID: job.resourceID, attempt: job.attemptID, reason: reason)) != nil {
                precheckWait[key] = again
            }
            return
        }
        let since = running[key]?.heldSince ?? now
        guard now.timeIntervalSince(since) < store.state.policy.startWindow else {
            try attemptFailed(key: key, job: job, message: "\(reason); it did not pass within \(DurationText.format(store.state.policy.startWindow))")
            return
        }
        running[key] = Running(job: job, execution: nil, retryAt: again, lastProgressWrite: now, heldSince: since)
        try write(.recordEvents([EventDraft(kind: .precheckFailed, taskID: job.taskID, resourceID: job.resourceID,
                                            message: "\(job.resourceName) attempt \(job.attempt) held: \(reason); checked again in a minute", attemptID: job.attemptID)]))
    }

    /// Retries with backoff while attempts remain; otherwise the execution fails, counts toward the lockout,
    /// is notified, and may halt its task.
    func attemptFailed(key: ResourceRef, job: ExecutionJob, message: String) throws {
        guard let task = store.state.task(id: job.taskID) else {
            running[key] = nil
            return
        }
        if job.attempt <= task.retries {
            guard try write(.failAttempt(taskID: job.taskID, resourceID: job.resourceID, message: message, attempt: job.attemptID)) != nil else {
                running[key] = nil
                return
            }
            var next = job
            next.attempt += 1
            running[key] = Running(job: next, execution: nil, retryAt: now.addingTimeInterval(Self.backoff(afterAttempt: job.attempt)), lastProgressWrite: now)
            return
        }
        let written = try write(.fail(taskID: job.taskID, resourceID: job.resourceID, message: message, attempt: job.attemptID))
        running[key] = nil
        guard written != nil else { return }
        let failures = store.state.task(id: job.taskID)?.resource(id: job.resourceID)?.failures ?? 0
        try notify(Notice(key: "failed:\(job.taskID):\(job.resourceID):\(failures)", taskID: job.taskID, resourceID: job.resourceID,
                          message: "\(job.resourceName) (\(job.taskID)) FAILED after \(job.attempt) attempt(s): \(message)"))
        try haltIfTooManyFailures(job.taskID)
    }

    func haltIfTooManyFailures(_ taskID: String) throws {
        guard let task = store.state.task(id: taskID), !task.halted, let limit = task.failureLimit else { return }
        let failed = task.resources.filter { $0.status == .failed }.count
        guard failed >= limit else { return }
        let reason = "\(failed) resources failed, reaching maxFailures \(task.maxFailuresPercent.map { "\(WaveSize.percent($0).text) (\(limit))" } ?? String(limit))"
        guard try write(.halt(taskID: taskID, reason: reason)) != nil else { return }
        try notify(Notice(key: "halted:\(taskID):\(store.sequence)", taskID: taskID, resourceID: nil,
                          message: "\(taskID) \(task.title) HALTED: \(reason); resume it after checking"))
    }

    func startRetries() throws {
        let current = now
        for key in running.keys.sorted() {
            guard let entry = running[key], entry.execution == nil, let at = entry.retryAt, at <= current else { continue }
            try launch(entry.job, key: key)
        }
    }

    /// The resource's current attempt, if it is still in progress: an operator may have cancelled it meanwhile.
    private func currentJob(_ key: ResourceRef) -> ExecutionJob? {
        guard let task = store.state.task(id: key.taskID), let resource = task.resource(id: key.resourceID),
            resource.status == .inProgress, resource.attemptID != nil
        else { return nil }
        return ExecutionJob(task: task, resource: resource)
    }

    /// Starts the current attempt of `key` under its supervisor. A machine busy with another attempt waits;
    /// an attempt that cannot start counts as a failed attempt.
    func launch(_ job: ExecutionJob, key: ResourceRef) throws {
        try launchAll([(key, job.attempt)])
    }

    /// Starts several attempts at once (their supervisors spawn side by side), each as `launch` would; each
    /// resource's current attempt, numbered at least `attempt` (0: as the store says).
    /// `claimed`: the attempts were claimed for this host already (a fenced start claims in its own transaction).
    func launchAll(_ batch: [(key: ResourceRef, attempt: Int)], claimed: Bool = false) throws {
        var ready: [(job: ExecutionJob, key: ResourceRef, restarts: Int)] = []
        for (key, attempt) in batch {
            guard var current = currentJob(key) else {
                running[key] = nil
                continue
            }
            current.attempt = max(current.attempt, attempt)
            // Sharing a fleet, the host claims the attempt before it runs (a retry, a restart); without the claim
            // it waits.
            if let coordination, !claimed {
                do {
                    try coordination.claim(attempt: current.attemptID)
                } catch {
                    log("engine: \(key.taskID)/\(key.resourceID) waits: cannot claim attempt \(current.attemptID) in etcd (\(error))")
                    running[key] = Running(job: current, execution: nil, retryAt: now.addingTimeInterval(Self.machineBusyPause), lastProgressWrite: now)
                    continue
                }
            }
            ready.append((current, key, running[key]?.restarts ?? 0))
        }
        guard !ready.isEmpty else { return }
        let results = executors.startAll(ready.map(\.job), now: now) { job in
            // Asked with the machine locked: a cancellation written before that is seen here.
            _ = try? store.poll()
            return currentJob(ResourceRef(taskID: job.taskID, resourceID: job.resourceID))?.attemptID == job.attemptID
        }
        for ((current, key, restarts), result) in zip(ready, results) {
            switch result {
            case .success(let execution?):
                running[key] = Running(job: current, execution: execution, lastProgressWrite: now, restarts: restarts)
            case .success(nil):
                running[key] = nil
            case .failure(.machineBusy):
                if running[key]?.waitingForMachine != true {
                    log("engine: \(key.taskID)/\(key.resourceID) waits: another attempt on \(key.resourceID) is still running")
                }
                running[key] = Running(
                    job: current, execution: nil, retryAt: now.addingTimeInterval(Self.machineBusyPause), lastProgressWrite: now, restarts: restarts,
                    waitingForMachine: true)
            case .failure(let error):
                running[key] = Running(job: current, execution: nil, lastProgressWrite: now, restarts: restarts)
                try attemptFailed(key: key, job: current, message: "\(error)")
            }
        }
    }

    func handleMissed() throws {
        // Decide first, then write: a copy of the state kept alive across writes would make every write copy it.
        let missed = Scheduler.missed(in: store.state, now: now)
        for placement in missed where running[placement] == nil {
            let before = store.state.task(id: placement.taskID)?.resource(id: placement.resourceID)
            guard try write(.miss(taskID: placement.taskID, resourceID: placement.resourceID)) != nil else { continue }
            let at = before?.scheduledAt.map { Int64($0.timeIntervalSince1970) } ?? 0
            let name = before?.name ?? placement.resourceID
            if let reason = before?.heldReason {
                try notify(Notice(key: "held:\(placement.taskID):\(placement.resourceID):\(at)", taskID: placement.taskID, resourceID: placement.resourceID,
                                  message: "\(name) (\(placement.taskID)) HELD past its start window (\(reason)); it is pending again and needs a new reservation"))
            } else {
                try notify(Notice(key: "missed:\(placement.taskID):\(placement.resourceID):\(at)", taskID: placement.taskID, resourceID: placement.resourceID,
                                  message: "\(name) (\(placement.taskID)) MISSED its start window; it is pending again and needs a new reservation"))
            }
        }
    }

    /// Due reservations that a freeze added later covers go back to pending, each with a `frozen` event and a
    /// notification.
    func handleFrozen() throws {
        for (placement, freeze) in Scheduler.frozen(in: store.state, now: now, cutoff: startCutoff) where running[placement] == nil {
            let before = store.state.task(id: placement.taskID)?.resource(id: placement.resourceID)
            guard try write(.frozenOut(taskID: placement.taskID, resourceID: placement.resourceID, freeze: freeze)) != nil else { continue }
            let at = before?.scheduledAt.map { Int64($0.timeIntervalSince1970) } ?? 0
            try notify(Notice(key: "frozen:\(placement.taskID):\(placement.resourceID):\(at)", taskID: placement.taskID, resourceID: placement.resourceID,
                              message: "\(before?.name ?? placement.resourceID) (\(placement.taskID)) NOT STARTED: the freeze \(freeze) covers its time; it is pending again"))
        }
    }

    func autoReserve() throws {
        let plans = Scheduler.autoReservations(in: store.state, now: now)
        for plan in plans {
            let key = "\(plan.taskID):\(Int64(plan.at.timeIntervalSince1970))"
            guard !autoReserveGaveUp.contains(key) else { continue }
            if let freeze = plan.blockedBy {
                autoReserveGaveUp.insert(key)
                try notify(Notice(key: "auto-reserve-frozen:\(plan.taskID):\(freeze)", taskID: plan.taskID, resourceID: nil,
                                  message: "\(plan.taskID): NO TIME to auto-reserve \(plan.resourceIDs.count) resource(s) before the deadline outside the freeze \(freeze); reserve them by hand or change the freeze"))
                continue
            }
            if try write(.autoReserve(taskID: plan.taskID, resourceIDs: plan.resourceIDs, at: plan.at, stagger: plan.stagger)) == nil {
                // Some slot broke a rule (a conflict, or past the deadline): reserve the others one by one.
                var refused: [String] = []
                for (position, id) in plan.resourceIDs.enumerated() {
                    let at = plan.stagger.instant(forPosition: position, start: plan.at)
                    if try write(.autoReserve(taskID: plan.taskID, resourceIDs: [id], at: at, stagger: nil)) == nil { refused.append(id) }
                }
                if !refused.isEmpty {
                    autoReserveGaveUp.insert(key)
                    try notify(Notice(key: "auto-reserve-refused:\(key)", taskID: plan.taskID, resourceID: nil,
                                      message: "\(plan.taskID): could not auto-reserve \(refused.count) resource(s) before the deadline (\(refused.prefix(5).joined(separator: ", "))); reserve them by hand"))
                }
            }
            if let task = store.state.task(id: plan.taskID) {
                let reserved = plan.resourceIDs.filter { id in task.resource(id: id)?.status == .reserved }.count
                if reserved > 0 {
                    try notify(Notice(key: "auto-reserved:\(key)", taskID: plan.taskID, resourceID: nil,
                                      message: "\(plan.taskID) \(task.title): auto-reserved \(reserved) resource(s) from \(InstantText.short(plan.at, in: zone)) before the deadline"))
                }
            }
        }
    }

    /// Says why due reservations wait (a primary for its replicas, a later wave), once per reason, so the
    /// console shows it: `Scheduler.dueAndHeld` hands over only holds whose reason changed. At most
    /// `holdsPerTick` a tick, like notifications: a fleet of clusters coming due holds thousands of primaries
    /// at once, and the tick that starts their replicas should not wait for all their reasons to be written.
    /// The rest follow in the next ticks; what starts does not depend on them (the scheduler works holds out
    /// itself each tick).
    func recordHolds(_ held: [(ResourceRef, String)]) throws {
        guard !held.isEmpty else { return }
        let changed = held.prefix(Self.holdsPerTick)
        // One durable write for all of them.
        if changed.count > 1, try write(.holdAll(changed.map(\.0), reasons: changed.map(\.1))) != nil { return }
        for (placement, reason) in changed { try write(.hold(taskID: placement.taskID, resourceID: placement.resourceID, reason: reason)) }
    }

    func startDue() throws {
        let current = now
        let (dueNow, held) = Scheduler.dueAndHeld(in: store.state, now: current, cutoff: startCutoff)
        try recordHolds(held)
        precheckWait = precheckWait.filter { $0.value > current }
        let due = dueNow.filter { running[$0] == nil && precheckWait[$0] == nil }
        guard !due.isEmpty else { return }
        var busy = RunningSet()
        for entry in running.values { busy.add(ResourceRef(taskID: entry.job.taskID, resourceID: entry.job.resourceID), cluster: entry.job.cluster) }
        let chosen = Scheduler.startable(due, in: store.state, running: busy)
        guard !chosen.isEmpty else { return }
        // One durable write for the whole batch; if a race refused one of them, start them one at a time.
        let batched = chosen.count > 1 ? try write(.startAll(chosen)) : nil
        let started = batched != nil ? chosen : try chosen.filter { try write(.start(taskID: $0.taskID, resourceID: $0.resourceID)) != nil }
        try launchAll(started.map { ($0, 0) }, claimed: true)
    }

    func sendPriorNotifications() throws {
        sent.forgetHourly(now: now)
        try notify(NotificationPlanner.due(in: store.state, now: now, sent: sent.planned, sentLeads: sent.leads, zone: zone))
    }

    func notify(_ notice: Notice) throws { try notify([notice]) }

    /// Records notifications as events (once per key, all in one write) and hands each to the notify hook.
    func notify(_ notices: [Notice]) throws {
        let fresh = notices.filter { sent.insert($0.key, lead: $0.lead) }
        guard !fresh.isEmpty,
            let commit = try write(.recordEvents(fresh.map { EventDraft(kind: .notified, taskID: $0.taskID, resourceID: $0.resourceID, message: $0.message, key: $0.key) }))
        else { return }
        let policy = store.state.policy
        if let reason = CommandSeal(storeDirectory: store.directory).refusal(content: policy.notifySealedContent, seal: policy.notifyCommandSeal, sealing: "pitstop store seal --notify-command") {
            // Said once for each command and seal, not at every notification.
            let refused = policy.notifyCommand + [policy.notifyCommandSeal ?? ""]
            guard refusedNotifyCommand != refused else { return }
            refusedNotifyCommand = refused
            log("engine: notifyCommand was not run: \(reason)")
            try write(.recordEvents([EventDraft(kind: .notifyFailed, message: "notifyCommand was not run: \(reason)")]))
            return
        }
        for event in commit.batch.events { hook.send(event, argv: policy.notifyCommand) }
    }
}
