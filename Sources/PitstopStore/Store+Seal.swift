import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// The owner's key to seal what `mutation` gives the engine to run, when it gives anything; refuses the
    /// change unless this process is the store's owner (or root). On a team store its members may do everything
    /// else (SPEC §13); what they write by hand to the shared files carries no valid seal, and the engine of a
    /// team store runs nothing unsealed (SPEC §29).
    func sealingKey(for mutation: Mutation) throws -> OwnerKey? {
        guard let reason = mutation.programsItRuns(comparedTo: state) else { return nil }
        let owner = try OwnerKey.storeOwner(directory)
        guard geteuid() == owner || geteuid() == 0 else {
            throw StoreError.ownerOnly(path: directory, owner: OwnerKey.userName(owner), reason: reason)
        }
        do {
            return try OwnerKey.loadOrCreate(storeDirectory: directory)
        } catch {
            // Only a team store's engine demands the seal: a store no one else can write runs its owner's
            // commands without one.
            if case .group = StoreSharing.of(directory: directory) { throw error }
            return nil
        }
    }

    /// `plan` with the owner's seals: each task the mutation imports or seals that runs a command, and a
    /// notification command the mutation sets or seals, sealed with `key`; a policy that keeps the current
    /// notification command keeps its seal (a member's change of another value must not drop it). Without a key
    /// nothing new is sealed.
    func sealing(_ plan: Plan, of mutation: Mutation, with key: OwnerKey?) -> Plan {
        // Only these bring a task or a policy from outside, or vouch for one: every other change is the
        // planner's, made from the stored values, seals and all. (Looking at each change of a large
        // reservation would cost for nothing.)
        let tasks: Set<String>
        let notify: Bool
        switch mutation {
        case .importTasks(let imported) where key != nil: (tasks, notify) = (Set(imported.map(\.id)), false)
        case .sealCommands(let ids, let notifyCommand): (tasks, notify) = (Set(ids), notifyCommand)
        case .setPolicyValue(let name, _): (tasks, notify) = ([], name == "notifyCommand")
        case .setPolicy: (tasks, notify) = ([], false)
        default: return plan
        }
        var plan = plan
        for index in plan.changes.indices {
            switch plan.changes[index] {
            case .addTask(var task) where tasks.contains(task.id):
                guard let key else { continue }
                task.ownerSeal = task.sealedContent.map { key.seal($0) }
                plan.changes[index] = .addTask(task)
            case .setPolicy(var policy):
                if !notify && policy.notifyCommand == state.policy.notifyCommand {
                    policy.notifyCommandSeal = state.policy.notifyCommandSeal
                } else {
                    policy.notifyCommandSeal = key.flatMap { key in policy.notifySealedContent.map { key.seal($0) } }
                }
                plan.changes[index] = .setPolicy(policy)
            default:
                break
            }
        }
        return plan
    }
}
