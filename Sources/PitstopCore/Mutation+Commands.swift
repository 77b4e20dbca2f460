extension Mutation {
    /// What in this change would give the engine a program of the writer's choosing to run, in a sentence;
    /// nil when it gives none. On a team store only its owner may make such a change (SPEC §13): a task whose
    /// executor or hooks carry a raw `argv`, or a notification command. Naming a runbook gives none: the owner
    /// chose what runbooks there are.
    public func programsItRuns(comparedTo state: FleetState) -> String? {
        switch self {
        case .importTasks(let tasks):
            for task in tasks {
                if case .command(let c) = task.executor, c.runbook == nil {
                    return "task \(task.id) runs a command (its executor has an argv; a runbook the owner installed is open to members)"
                }
                if task.hooks.carriesArgv { return "task \(task.id) has a hook with an argv (a hook naming a runbook is open to members)" }
            }
            return nil
        case .setPolicy(let policy):
            return policy.notifyCommand != state.policy.notifyCommand ? "it changes notifyCommand, which the engine runs" : nil
        case .setPolicyValue(let key, _):
            return key == "notifyCommand" ? "it changes notifyCommand, which the engine runs" : nil
        case .sealCommands:
            return "it vouches for commands, which the engine then runs"
        default:
            return nil
        }
    }
}
