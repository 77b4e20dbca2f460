import Foundation

/// The operator's actions besides reserving: import, clear, exclude, include, policy.
extension Planner {
    mutating func importTasks(_ tasks: [MaintenanceTask]) throws(MutationError) {
        guard !tasks.isEmpty else { throw .invalid("the import holds no tasks") }
        var seen = Set<String>()
        for task in tasks {
            if state.task(id: task.id) != nil || !seen.insert(task.id).inserted { throw .duplicateTask(task.id) }
            let problems = TaskValidation.problems(in: task)
            if let first = problems.first { throw .invalid("task \(task.id): \(first)") }
        }
        for task in tasks {
            plan.changes.append(.addTask(task))
            log(.imported, taskID: task.id, resourceID: nil, "imported \(task.id) \"\(task.title)\" with \(task.resources.count) resources")
        }
    }

    mutating func clear(task: MaintenanceTask, resourceIDs: [String]) throws(MutationError) {
        let targets = try resources(resourceIDs, of: task)
        let refusals = targets.compactMap { resource -> Refusal? in
            if resource.status == .pending || resource.status == .failed || resource.status == .excluded {
                return refusal(task, resource, .state, "is \(resource.status.rawValue) and has no reservation to clear")
            }
            return stateRefusal(task, resource, allowed: [.reserved], action: "cleared")
        }
        guard refusals.isEmpty else { throw .refused(refusals) }
        for resource in targets {
            var updated = resource
            updated.status = .pending
            updated.heldReason = nil
            updated.scheduledAt = nil
            update(task, updated)
            log(.cleared, taskID: task.id, resourceID: resource.id, "\(resource.name) reservation at \(resource.scheduledAt.map(time) ?? "-") cleared")
        }
    }

    mutating func exclude(task: MaintenanceTask, resourceIDs: [String]) throws(MutationError) {
        let targets = try resources(resourceIDs, of: task)
        let refusals = targets.compactMap { resource -> Refusal? in
            if resource.status == .excluded { return refusal(task, resource, .state, "is already excluded") }
            return stateRefusal(task, resource, allowed: [.pending, .reserved, .failed], action: "excluded")
        }
        guard refusals.isEmpty else { throw .refused(refusals) }
        for resource in targets {
            var updated = resource
            updated.status = .excluded
            updated.heldReason = nil
            update(task, updated)
            log(.excluded, taskID: task.id, resourceID: resource.id, "\(resource.name) excluded from \(task.id)")
        }
    }

    /// Excluded → pending, or reserved again when its kept reservation still passes every rule now.
    mutating func include(task: MaintenanceTask, resourceIDs: [String]) throws(MutationError) {
        let targets = try resources(resourceIDs, of: task)
        let refusals = targets.filter { $0.status != .excluded }.map {
            refusal(task, $0, .state, "is \($0.status.rawValue), not excluded")
        }
        guard refusals.isEmpty else { throw .refused(refusals) }
        for resource in targets {
            var updated = resource
            var message = "\(resource.name) included again"
            if let at = resource.scheduledAt {
                var candidate = resource
                candidate.status = .pending
                if let reason = reservationRefusal(task, candidate, at: at, force: false) {
                    updated.status = .pending
                    updated.scheduledAt = nil
                    message += "; its reservation at \(time(at)) was dropped: \(reason.message)"
                } else {
                    updated.status = .reserved
                    message += ", reserved for \(time(at))"
                }
            } else {
                updated.status = .pending
            }
            update(task, updated)
            log(.included, taskID: task.id, resourceID: resource.id, message)
        }
    }

    mutating func setHalted(_ task: MaintenanceTask, _ halted: Bool, reason: String) throws(MutationError) {
        guard task.halted != halted else {
            throw .invalid(halted ? "task \(task.id) is already halted" : "task \(task.id) is not halted; nothing to resume")
        }
        plan.changes.append(.setHalted(taskID: task.id, halted: halted))
        if halted {
            log(.halted, taskID: task.id, resourceID: nil, "\(task.id) halted: \(reason); no more resources start until it is resumed")
        } else {
            log(.resumed, taskID: task.id, resourceID: nil, "\(task.id) resumed; reserved resources start again when due")
        }
    }

    mutating func setPolicy(_ policy: Policy, message: String? = nil) {
        plan.changes.append(.setPolicy(policy))
        let changed = PolicyText.differences(from: state.policy, to: policy)
        log(.policyChanged, taskID: nil, resourceID: nil, message ?? (changed.isEmpty ? "policy unchanged" : changed.joined(separator: ", ")))
    }
}

extension Planner {
    /// Puts `task` back as it is, for the store to seal (`Mutation.sealCommands`), and logs what was sealed.
    mutating func seal(_ task: MaintenanceTask, _ commands: String) {
        plan.changes.append(.addTask(task))
        log(.sealed, taskID: task.id, resourceID: nil, "the store's owner sealed the commands of \(task.id): \(commands)")
    }

    /// Puts the policy back as it is, for the store to seal its notification command.
    mutating func sealNotifyCommand(_ policy: Policy) {
        plan.changes.append(.setPolicy(policy))
        log(.sealed, taskID: nil, resourceID: nil, "the store's owner sealed notifyCommand: \(policy.notifyCommand.joined(separator: " "))")
    }
}
