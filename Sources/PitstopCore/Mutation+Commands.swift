extension Mutation {
    /// What in this change would give the engine a program of the writer's choosing to run, in a sentence;
    /// nil when it gives none. On a team store only its owner may make such a change (SPEC §13): a task whose
    /// executor or hooks carry a raw `argv`, or a notification command.
    public func programsItRuns(comparedTo state: FleetState) -> String? {
        switch self {
        case .importTasks(let tasks):
            for task in tasks {
                if case .command = task.executor { return "task \(task.id) runs a command (its executor has an argv)" }
                if !task.hooks.isEmpty { return "task \(task.id) has hooks, which run commands" }
            }
            return nil
        case .setPolicy(let policy):
            return policy.notifyCommand != state.policy.notifyCommand ? "it changes notifyCommand, which the engine runs" : nil
        case .setPolicyValue(let key, _):
            return key == "notifyCommand" ? "it changes notifyCommand, which the engine runs" : nil
        default:
            return nil
        }
    }
}
