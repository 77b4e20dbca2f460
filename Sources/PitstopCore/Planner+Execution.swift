import Foundation

/// The engine's transitions of the state machine: start, progress, attempts, completion, failure, missed start.
extension Planner {
    private mutating func transition(
        _ task: MaintenanceTask, _ resourceID: String, from allowed: ResourceStatus, action: String,
        _ change: (inout Resource) -> Void
    ) throws(MutationError) -> Resource {
        let resource = try resource(resourceID, of: task)
        guard resource.status == allowed else {
            throw .refused([refusal(task, resource, .state, "is \(resource.status.rawValue); only a \(allowed.rawValue) resource can be \(action)")])
        }
        var updated = resource
        change(&updated)
        update(task, updated)
        return updated
    }

    mutating func start(task: MaintenanceTask, resourceID: String) throws(MutationError) {
        let started = try transition(task, resourceID, from: .reserved, action: "started") {
            $0.status = .inProgress
            $0.attempts = 1
            $0.progress = 0
            $0.lastMessage = "attempt 1 started"
        }
        log(.started, taskID: task.id, resourceID: resourceID, "\(started.name) started, attempt 1 of \(task.retries + 1)")
    }

    mutating func reportProgress(task: MaintenanceTask, resourceID: String, progress: Int, message: String?) throws(MutationError) {
        _ = try transition(task, resourceID, from: .inProgress, action: "given progress") {
            $0.progress = min(max(progress, 0), 100)
            if let message { $0.lastMessage = message }
        }
    }

    mutating func failAttempt(task: MaintenanceTask, resourceID: String, message: String) throws(MutationError) {
        let current = try resource(resourceID, of: task)
        guard current.attempts <= task.retries else {
            throw .invalid("\(current.name) has used all \(task.retries + 1) attempts; the execution fails instead")
        }
        let updated = try transition(task, resourceID, from: .inProgress, action: "retried") {
            $0.attempts += 1
            $0.progress = 0
            $0.lastMessage = message
        }
        log(.attemptFailed, taskID: task.id, resourceID: resourceID,
            "\(updated.name) attempt \(current.attempts) failed: \(message); attempt \(updated.attempts) of \(task.retries + 1) follows")
    }

    mutating func complete(task: MaintenanceTask, resourceID: String, message: String) throws(MutationError) {
        let updated = try transition(task, resourceID, from: .inProgress, action: "completed") {
            $0.status = .completed
            $0.progress = 100
            $0.lastMessage = message
        }
        log(.completed, taskID: task.id, resourceID: resourceID, "\(updated.name) completed after \(updated.attempts) attempt(s)")
    }

    mutating func fail(task: MaintenanceTask, resourceID: String, message: String) throws(MutationError) {
        let now = context.now
        let updated = try transition(task, resourceID, from: .inProgress, action: "failed") {
            $0.status = .failed
            $0.failures += 1
            $0.lastFailureAt = now
            $0.lastMessage = message
        }
        log(.failed, taskID: task.id, resourceID: resourceID, "\(updated.name) failed after \(updated.attempts) attempt(s): \(message)")
        if updated.failures >= Policy.lockoutFailureCount {
            log(.lockedOut, taskID: task.id, resourceID: resourceID,
                "\(updated.name) has failed \(updated.failures) times; locked out until \(time(now.addingTimeInterval(policy.lockout)))")
        }
    }

    mutating func miss(task: MaintenanceTask, resourceID: String) throws(MutationError) {
        let before = try resource(resourceID, of: task)
        let updated = try transition(task, resourceID, from: .reserved, action: "missed") {
            $0.status = .pending
            $0.scheduledAt = nil
            $0.lastMessage = "missed its start window"
        }
        log(.missed, taskID: task.id, resourceID: resourceID,
            "\(updated.name) was not started within \(DurationText.format(policy.startWindow)) of \(before.scheduledAt.map(time) ?? "-"); back to pending")
    }
}
