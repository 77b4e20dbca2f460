import Foundation

extension FleetState {
    /// Validates `mutation` against this state and returns what it would change, or throws and changes nothing.
    /// This is the single door: the CLI, the TUI and the engine all plan through it.
    public func plan(_ mutation: Mutation, context: MutationContext) throws(MutationError) -> Plan {
        var planner = Planner(state: self, context: context)
        switch mutation {
        case .importTasks(let tasks):
            try planner.importTasks(tasks)
        case .reserve(let taskID, let selection, let at, let stagger, let force):
            let task = try existingTask(taskID)
            let ids = try selectedIDs(selection, in: task)
            try planner.reserve(task: task, resourceIDs: ids, at: at, stagger: stagger, force: force, kind: .reserved)
        case .reserveInWaves(let taskID, let selection, let at, let stagger, let force):
            let task = try existingTask(taskID)
            guard !task.waves.isEmpty else { throw .invalid("task \(taskID) has no waves; give it \"waves\" (and \"soak\") in its import, or reserve without --waves") }
            try planner.reserve(task: task, resourceIDs: try selectedIDs(selection, in: task), at: at, stagger: stagger, force: force, kind: .reserved, inWaves: true)
        case .autoReserve(let taskID, let ids, let at, let stagger):
            try planner.reserve(task: try existingTask(taskID), resourceIDs: ids, at: at, stagger: stagger, force: false, kind: .autoReserved)
        case .retry(let taskID, let ids, let at, let force):
            try planner.retry(task: try existingTask(taskID), resourceIDs: ids, at: at, force: force)
        case .clear(let taskID, let ids):
            try planner.clear(task: try existingTask(taskID), resourceIDs: ids)
        case .exclude(let taskID, let ids):
            try planner.exclude(task: try existingTask(taskID), resourceIDs: ids)
        case .include(let taskID, let ids):
            try planner.include(task: try existingTask(taskID), resourceIDs: ids)
        case .restore(let taskID, let resources, let sequence, let what):
            try planner.restore(task: try existingTask(taskID), resources, undoing: sequence, what: what)
        case .setPolicy(let policy):
            planner.setPolicy(policy)
        case .addFreeze(let freeze):
            guard !policy.freezes.contains(where: { $0.name == freeze.name }) else {
                throw .invalid("a freeze named \(freeze.name) exists already; remove it first or pick another name")
            }
            guard Policy.isSound(freeze.recurrence), !freeze.name.isEmpty else { throw .invalid("the freeze \(freeze.name) has an impossible window") }
            var updated = policy
            updated.freezes.append(freeze)
            planner.setPolicy(updated, message: "freeze \(FreezeText.line(freeze)) added")
        case .removeFreeze(let name):
            guard policy.freezes.contains(where: { $0.name == name }) else {
                throw .invalid("no freeze named \(name); the store has \(policy.freezes.isEmpty ? "none" : policy.freezes.map(\.name).joined(separator: ", "))")
            }
            var updated = policy
            updated.freezes.removeAll { $0.name == name }
            planner.setPolicy(updated, message: "freeze \(name) removed")
        case .setPolicyValue(let key, let value):
            do {
                planner.setPolicy(try PolicyText.setting(key, to: value, in: policy))
            } catch {
                throw .invalid(error.message)
            }
        case .start(let taskID, let resourceID):
            try planner.start(task: try existingTask(taskID), resourceID: resourceID)
        case .startAll(let refs):
            guard Set(refs).count == refs.count, !refs.isEmpty else { throw .invalid("startAll needs distinct resources") }
            for ref in refs { try planner.start(task: try existingTask(ref.taskID), resourceID: ref.resourceID) }
        case .reportProgress(let taskID, let resourceID, let progress, let message, let attempt):
            try planner.reportProgress(task: try existingTask(taskID), resourceID: resourceID, progress: progress, message: message, attempt: attempt)
        case .failAttempt(let taskID, let resourceID, let message, let attempt):
            try planner.failAttempt(task: try existingTask(taskID), resourceID: resourceID, message: message, attempt: attempt)
        case .complete(let taskID, let resourceID, let message, let attempt):
            try planner.complete(task: try existingTask(taskID), resourceID: resourceID, message: message, attempt: attempt)
        case .fail(let taskID, let resourceID, let message, let attempt):
            try planner.fail(task: try existingTask(taskID), resourceID: resourceID, message: message, attempt: attempt, kind: .failed)
        case .recordAttempt(let taskID, let resourceID, let attempt, let kind, let message):
            try planner.recordAttempt(task: try existingTask(taskID), resourceID: resourceID, attempt: attempt, kind: kind, message: message)
        case .cancelAttempt(let taskID, let resourceID, let attempt, let by):
            try planner.fail(task: try existingTask(taskID), resourceID: resourceID, message: "cancelled by \(by)", attempt: attempt, kind: .cancelled)
        case .outcomeUnknown(let taskID, let resourceID, let attempt):
            let task = try existingTask(taskID)
            let name = task.resource(id: resourceID)?.name ?? resourceID
            try planner.fail(
                task: task, resourceID: resourceID,
                message: "outcome unknown: the supervisor of attempt \(attempt) was lost; check \(name) before retrying",
                attempt: attempt, kind: .outcomeUnknown)
        case .miss(let taskID, let resourceID):
            try planner.miss(task: try existingTask(taskID), resourceID: resourceID)
        case .precheckHeld(let taskID, let resourceID, let attempt, let reason):
            try planner.precheckHeld(task: try existingTask(taskID), resourceID: resourceID, attempt: attempt, reason: reason)
        case .frozenOut(let taskID, let resourceID, let freeze):
            try planner.frozenOut(task: try existingTask(taskID), resourceID: resourceID, freeze: freeze)
        case .hold(let taskID, let resourceID, let reason):
            try planner.hold(task: try existingTask(taskID), resourceID: resourceID, reason: reason)
        case .holdAll(let refs, let reasons):
            guard refs.count == reasons.count, Set(refs).count == refs.count, !refs.isEmpty else { throw .invalid("holdAll needs one reason per distinct resource") }
            for (ref, reason) in zip(refs, reasons) { try planner.hold(task: try existingTask(ref.taskID), resourceID: ref.resourceID, reason: reason) }
        case .recordEvents(let drafts):
            guard !drafts.isEmpty else { throw .invalid("no events to record") }
            for draft in drafts {
                planner.log(draft.kind, taskID: draft.taskID, resourceID: draft.resourceID, draft.message, key: draft.key, attemptID: draft.attemptID)
            }
        case .halt(let taskID, let reason):
            try planner.setHalted(try existingTask(taskID), true, reason: reason)
        case .resume(let taskID):
            try planner.setHalted(try existingTask(taskID), false, reason: "resumed")
        case .recoverOutcome(let taskID, let resourceID, let attempt, let success, let message):
            try planner.recoverOutcome(task: try existingTask(taskID), resourceID: resourceID, attempt: attempt, success: success, message: message)
        case .observeRoles(let cluster, let roles):
            planner.observeRoles(cluster: cluster, roles: roles)
        case .sealCommands(let taskIDs, let notifyCommand):
            guard !taskIDs.isEmpty || notifyCommand else { throw .invalid("nothing to seal: name tasks, or notifyCommand") }
            for id in taskIDs {
                let task = try existingTask(id)
                guard let commands = task.commandsText else { throw .invalid("\(id) runs no command of its own (a simulation or runbooks): nothing to seal") }
                planner.seal(task, commands)
            }
            if notifyCommand {
                guard !policy.notifyCommand.isEmpty else { throw .invalid("notifyCommand is not set: nothing to seal") }
                planner.sealNotifyCommand(policy)
            }
        }
        return planner.plan
    }

    private func existingTask(_ id: String) throws(MutationError) -> MaintenanceTask {
        guard let task = task(id: id) else { throw .unknownTask(id) }
        return task
    }

    private func selectedIDs(_ selection: ResourceSelection, in task: MaintenanceTask) throws(MutationError) -> [String] {
        switch selection {
        case .ids(let ids): return ids
        case .allPending:
            let ids = task.resources.filter { $0.status == .pending }.map(\.id)
            guard !ids.isEmpty else { throw .invalid("task \(task.id) has no pending resources") }
            return ids
        }
    }
}
