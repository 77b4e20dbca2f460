import Foundation

/// The engine's transitions of the state machine: start, progress, attempts, completion, failure, missed start.
/// Every attempt gets an id when it begins (the sequence number of the event that began it), and a report
/// naming an attempt is refused once that attempt is no longer the resource's current one.
extension Planner {
    private mutating func transition(
        _ task: MaintenanceTask, _ resourceID: String, from allowed: ResourceStatus, action: String, attempt: UInt64? = nil,
        _ change: (inout Resource) -> Void
    ) throws(MutationError) -> Resource {
        let resource = try resource(resourceID, of: task)
        guard resource.status == allowed else {
            throw .refused([refusal(task, resource, .state, "is \(resource.status.rawValue); only a \(allowed.rawValue) resource can be \(action)")])
        }
        if let attempt, resource.attemptID != attempt {
            throw .refused([refusal(task, resource, .state, "attempt \(attempt) is over; the current attempt is \(resource.attemptID.map(String.init) ?? "none")")])
        }
        var updated = resource
        change(&updated)
        update(task, updated)
        return updated
    }

    mutating func start(task: MaintenanceTask, resourceID: String) throws(MutationError) {
        let id = nextSequence
        let started = try transition(task, resourceID, from: .reserved, action: "started") {
            $0.status = .inProgress
            $0.attempts = 1
            $0.progress = 0
            $0.lastMessage = "attempt 1 started"
            $0.attemptID = id
            $0.heldReason = nil
        }
        log(.started, taskID: task.id, resourceID: resourceID, "\(started.name) started, attempt 1 of \(task.retries + 1)", attemptID: id)
    }

    mutating func reportProgress(task: MaintenanceTask, resourceID: String, progress: Int, message: String?, attempt: UInt64?) throws(MutationError) {
        _ = try transition(task, resourceID, from: .inProgress, action: "given progress", attempt: attempt) {
            $0.progress = min(max(progress, 0), 100)
            if let message { $0.lastMessage = message }
        }
    }

    mutating func failAttempt(task: MaintenanceTask, resourceID: String, message: String, attempt: UInt64?) throws(MutationError) {
        let current = try resource(resourceID, of: task)
        guard current.attempts <= task.retries else {
            throw .invalid("\(current.name) has used all \(task.retries + 1) attempts; the execution fails instead")
        }
        let next = nextSequence
        let updated = try transition(task, resourceID, from: .inProgress, action: "retried", attempt: attempt) {
            $0.attempts += 1
            $0.progress = 0
            $0.lastMessage = message
            $0.attemptID = next
        }
        log(.attemptFailed, taskID: task.id, resourceID: resourceID,
            "\(updated.name) attempt \(current.attempts) failed: \(message); attempt \(updated.attempts) of \(task.retries + 1) follows",
            attemptID: next)
    }

    mutating func complete(task: MaintenanceTask, resourceID: String, message: String, attempt: UInt64?) throws(MutationError) {
        let now = context.now
        let updated = try transition(task, resourceID, from: .inProgress, action: "completed", attempt: attempt) {
            $0.status = .completed
            $0.finishedAt = now
            $0.progress = 100
            $0.lastMessage = message
        }
        log(.completed, taskID: task.id, resourceID: resourceID, "\(updated.name) completed after \(updated.attempts) attempt(s)", attemptID: updated.attemptID)
    }

    /// The execution ends failed: its last attempt failed (`failed`), an operator cancelled it (`cancelled`), or
    /// its supervisor was lost (`outcome-unknown`). All three count toward the lockout.
    mutating func fail(task: MaintenanceTask, resourceID: String, message: String, attempt: UInt64?, kind: EventKind) throws(MutationError) {
        let now = context.now
        let updated = try transition(task, resourceID, from: .inProgress, action: kind == .cancelled ? "cancelled" : "failed", attempt: attempt) {
            $0.status = .failed
            $0.failures += 1
            $0.lastFailureAt = now
            $0.finishedAt = now
            $0.lastMessage = message
        }
        let text = kind == .failed ? "\(updated.name) failed after \(updated.attempts) attempt(s): \(message)" : "\(updated.name): \(message)"
        log(kind, taskID: task.id, resourceID: resourceID, text, attemptID: updated.attemptID)
        if updated.failures >= Policy.lockoutFailureCount {
            log(.lockedOut, taskID: task.id, resourceID: resourceID,
                "\(updated.name) has failed \(updated.failures) times; locked out until \(time(now.addingTimeInterval(policy.lockout)))")
        }
    }

    /// The prefix of every "outcome unknown" failure's message.
    static let outcomeUnknownPrefix = "outcome unknown"

    /// Replaces an "outcome unknown" failure with the attempt's true outcome (see `Mutation.recoverOutcome`).
    mutating func recoverOutcome(task: MaintenanceTask, resourceID: String, attempt: UInt64, success: Bool, message: String) throws(MutationError) {
        let current = try resource(resourceID, of: task)
        guard current.status == .failed, current.attemptID == attempt, current.lastMessage.hasPrefix(Self.outcomeUnknownPrefix) else {
            throw .refused([refusal(task, current, .state, "attempt \(attempt) is not an outcome unknown any more (the resource is \(current.status.rawValue))")])
        }
        var updated = current
        if success {
            updated.status = .completed
            updated.failures = max(0, updated.failures - 1)
            updated.progress = 100
        }
        updated.lastMessage = message
        update(task, updated)
        log(.outcomeRecovered, taskID: task.id, resourceID: resourceID,
            "\(updated.name): the true outcome of attempt \(attempt) arrived from its host: \(success ? "completed" : "failed") (was outcome unknown): \(message)",
            attemptID: attempt)
    }

    /// An event about the current attempt of an in-progress resource, with no change of state.
    mutating func recordAttempt(task: MaintenanceTask, resourceID: String, attempt: UInt64, kind: EventKind, message: String) throws(MutationError) {
        let resource = try resource(resourceID, of: task)
        guard resource.status == .inProgress, resource.attemptID == attempt else {
            throw .refused([refusal(task, resource, .state, "attempt \(attempt) is not the running attempt")])
        }
        log(kind, taskID: task.id, resourceID: resourceID, "\(resource.name): \(message)", attemptID: attempt)
    }

    /// A reservation not started within its start window goes back to pending: `missed` when no engine ran,
    /// `held` when the engine held it all the while (with the reason it held it).
    mutating func miss(task: MaintenanceTask, resourceID: String) throws(MutationError) {
        let before = try resource(resourceID, of: task)
        let updated = try transition(task, resourceID, from: .reserved, action: "missed") {
            $0.status = .pending
            $0.scheduledAt = nil
            $0.lastMessage = $0.heldReason.map { "held past its start window: \($0)" } ?? "missed its start window"
            $0.heldReason = nil
        }
        let window = "\(DurationText.format(policy.startWindow)) of \(before.scheduledAt.map(time) ?? "-")"
        if let reason = before.heldReason {
            log(.held, taskID: task.id, resourceID: resourceID, "\(updated.name) was held (\(reason)) past \(window); back to pending")
        } else {
            log(.missed, taskID: task.id, resourceID: resourceID, "\(updated.name) was not started within \(window); back to pending")
        }
    }

    /// A first attempt whose precheck said no never ran: the resource is reserved again (same time), held with the
    /// reason, and no attempt or failure is counted.
    mutating func precheckHeld(task: MaintenanceTask, resourceID: String, attempt: UInt64, reason: String) throws(MutationError) {
        let current = try resource(resourceID, of: task)
        guard current.attempts <= 1 else { throw .invalid("\(current.name) is in attempt \(current.attempts); only a first attempt goes back to reserved") }
        let updated = try transition(task, resourceID, from: .inProgress, action: "held", attempt: attempt) {
            $0.status = .reserved
            $0.attempts = 0
            $0.progress = 0
            $0.heldReason = reason
            $0.lastMessage = reason
        }
        log(.precheckFailed, taskID: task.id, resourceID: resourceID, "\(updated.name) held: \(reason); checked again in a minute", attemptID: attempt)
    }

    /// A reservation a later freeze covers: pending again, the freeze named.
    mutating func frozenOut(task: MaintenanceTask, resourceID: String, freeze: String) throws(MutationError) {
        let before = try resource(resourceID, of: task)
        let updated = try transition(task, resourceID, from: .reserved, action: "frozen") {
            $0.status = .pending
            $0.scheduledAt = nil
            $0.heldReason = nil
            $0.lastMessage = "frozen: the freeze \(freeze) covers its time"
        }
        log(.frozen, taskID: task.id, resourceID: resourceID,
            "\(updated.name) was not started at \(before.scheduledAt.map(time) ?? "-"): the freeze \(freeze) covers it; back to pending")
    }

    /// The engine holds (or stops holding) a due reservation, saying why; no event until the hold ends it.
    mutating func hold(task: MaintenanceTask, resourceID: String, reason: String?) throws(MutationError) {
        let resource = try resource(resourceID, of: task)
        guard resource.status == .reserved else {
            throw .refused([refusal(task, resource, .state, "is \(resource.status.rawValue); only a reserved resource can be held")])
        }
        plan.changes.append(.setHold(taskID: task.id, resourceID: resourceID, reason: reason))
    }
}
