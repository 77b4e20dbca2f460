/// What the store owner's seal covers (SPEC §29): the commands a task or the policy makes the engine run, in one
/// canonical byte form, so that the engine can prove that the owner, and not a member who can write the store's
/// files, brought them in. Runbooks are named, not given, and need no seal: the owner chose what runbooks there are.
extension MaintenanceTask {
    /// The bytes the owner's seal of this task covers: its id, the executor's argv, working directory and
    /// timeout, each hook's argv and the parameters (which reach the command); nil when the task runs no command
    /// of its own (a simulation, or runbooks only). The resources' facts are not covered: they reach a command as
    /// they reach a runbook, as input to check.
    public var sealedContent: [UInt8]? {
        // Most tasks run no command of their own: said without building anything (every job of a tick asks).
        let ownCommand: Bool
        if case .command(let c) = executor, c.runbook == nil { ownCommand = true } else { ownCommand = false }
        guard ownCommand || hooks.precheck?.argv != nil || hooks.healthcheck?.argv != nil || hooks.switchover?.argv != nil else { return nil }
        var argvs: [(String, [String])] = []
        if case .command(let c) = executor, c.runbook == nil { argvs.append(("executor", c.argv)) }
        for case let (name, .argv(argv)?) in hooks.named { argvs.append((name, argv)) }
        guard !argvs.isEmpty else { return nil }
        var content = SealedContent(kind: "task")
        content.add(id)
        for (name, argv) in argvs {
            content.add(name)
            content.add(argv)
        }
        if case .command(let c) = executor, c.runbook == nil {
            content.add(c.workingDirectory ?? "")
            content.add(String(c.timeoutSeconds))
        }
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) { content.add([key, value]) }
        return content.bytes
    }
}

extension MaintenanceTask {
    /// The commands it runs in a line, `executor: /bin/sh -c … · precheck: …`, for the event that seals them;
    /// nil when it runs none of its own.
    public var commandsText: String? {
        var parts: [String] = []
        if case .command(let c) = executor, c.runbook == nil { parts.append("executor: " + c.argv.joined(separator: " ")) }
        for case let (name, .argv(argv)?) in hooks.named { parts.append("\(name): " + argv.joined(separator: " ")) }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }
}

extension Policy {
    /// The bytes the owner's seal of `notifyCommand` covers; nil when there is none.
    public var notifySealedContent: [UInt8]? {
        guard !notifyCommand.isEmpty else { return nil }
        var content = SealedContent(kind: "notify")
        content.add(notifyCommand)
        return content.bytes
    }
}

/// Length-prefixed fields after a version and a kind, so that no two different inputs give the same bytes.
struct SealedContent {
    private(set) var bytes: [UInt8] = []

    init(kind: String) {
        add("pitstop-seal-1")
        add(kind)
    }

    mutating func add(_ text: String) {
        let utf8 = Array(text.utf8)
        var length = UInt32(utf8.count).bigEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }

    mutating func add(_ list: [String]) {
        add(String(list.count))
        for item in list { add(item) }
    }
}
