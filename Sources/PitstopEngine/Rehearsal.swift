public import Foundation
public import PitstopCore

/// A dry run, now, of some of a task's resources (`pitstop rehearse`, SPEC §15): each resource's precheck and
/// its executor with `PITSTOP_DRY_RUN=1`, under supervisors of their own (records, outputs and machine locks in
/// `STORE/rehearsals`), at most `concurrency` at once. Nothing is reserved, started or changed in the store
/// here; the caller records one `rehearsed` event per result.
public struct Rehearsal {
    /// What a dry run found.
    public enum Verdict: String, Sendable, CaseIterable {
        /// The checks passed and the change would be made.
        case ready
        /// A precondition refused (exit 10, or the precheck said no): the real run would not change anything.
        case refused
        /// The host could not be reached (exit 11, or ssh's own 255).
        case unreachable
        /// The dry run itself failed, timed out or could not start.
        case failed
    }

    /// One resource's dry run.
    public struct Result: Sendable, Equatable {
        /// The resource.
        public var resourceID: String
        /// What it found.
        public var verdict: Verdict
        /// The run's last line (or why it could not run).
        public var line: String
        /// How long it took, in seconds.
        public var seconds: Double
        /// Its output, for the whole story.
        public var outputPath: String?

        /// The `rehearsed` event's message: the verdict, then the line.
        public var message: String { "\(verdict.rawValue): \(line)" }
    }

    /// The exit code by which a runbook says "precondition refused, nothing touched".
    public static let refusedExit: Int32 = 10
    /// The exit code by which a runbook says "the host cannot be reached".
    public static let unreachableExit: Int32 = 11
    /// ssh's own exit code for a connection that failed.
    static let sshFailedExit: Int32 = 255

    let executors: SupervisedExecutors

    /// A rehearsal for the store in `storeDirectory`, its commands given `environment` and `PITSTOP_DRY_RUN=1`;
    /// the supervisor is found beside `pitstop` unless given.
    public init(storeDirectory: String, supervisor: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var environment = environment
        environment["PITSTOP_DRY_RUN"] = "1"
        executors = SupervisedExecutors(files: .rehearsals(storeDirectory: storeDirectory), supervisor: supervisor, environment: environment)
    }

    /// Whether a rehearsal takes `resource` when the whole task is asked for: not one excluded, done or running.
    public static func takes(_ resource: Resource) -> Bool {
        resource.status != .excluded && resource.status != .completed && resource.status != .inProgress
    }

    /// The verdict a message of a `rehearsed` event starts with, if it is one.
    public static func verdict(ofMessage message: String) -> Verdict? {
        guard let colon = message.firstIndex(of: ":") else { return nil }
        return Verdict(rawValue: String(message[..<colon]))
    }

    /// Rehearses `resourceIDs` of `task` (all that are not excluded, completed or running when empty) and
    /// returns their results in the order asked; `progress` hears of each as it ends.
    public func run(_ task: MaintenanceTask, resourceIDs: [String], concurrency: Int, now: () -> Date = Date.init,
                    progress: (Result) -> Void = { _ in }) -> [Result] {
        let resources = resourceIDs.isEmpty
            ? task.resources.filter(Self.takes)
            : resourceIDs.compactMap { id in task.resources.first { $0.id == id } }
        var results: [String: Result] = [:]
        var waiting = resources[...]
        var running: [(execution: any Execution, started: Date)] = []
        let base = UInt64(max(0, now().timeIntervalSince1970 * 1000)) * 1000
        var next: UInt64 = 0
        func finish(_ result: Result) {
            results[result.resourceID] = result
            progress(result)
        }
        while !waiting.isEmpty || !running.isEmpty {
            while running.count < max(1, concurrency), let resource = waiting.popFirst() {
                let started = now()
                guard case .command = task.executor else {
                    finish(Result(resourceID: resource.id, verdict: .ready, line: "simulated: no host to check", seconds: 0))
                    continue
                }
                next += 1
                var job = ExecutionJob(task: task, resource: resource)
                job.attemptID = base + next
                job.attempt = 1
                // The precheck and the executor; a switchover or health check acts or needs the change made.
                job.hooks = TaskHooks(precheck: task.hooks.precheck)
                do {
                    if let execution = try executors.start(job, now: started, stillWanted: { true }) {
                        running.append((execution, started))
                    }
                } catch {
                    finish(Result(resourceID: resource.id, verdict: .failed, line: "could not start: \(error)", seconds: 0))
                }
            }
            var still: [(execution: any Execution, started: Date)] = []
            for entry in running {
                let status = entry.execution.poll(now: now())
                if case .running = status {
                    still.append(entry)
                    continue
                }
                finish(result(of: entry.execution.job, status: status, seconds: now().timeIntervalSince(entry.started)))
            }
            running = still
            if !running.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        return resources.compactMap { results[$0.id] }
    }

    private func result(of job: ExecutionJob, status: ExecutionStatus, seconds: Double) -> Result {
        let files = executors.files
        let end = AttemptRecord.read(files.record(job.attemptID))?.end
        var output = AttemptOutput(path: files.output(job.attemptID))
        output.refresh()
        let last = output.lastLine ?? ""
        let verdict: Verdict
        var line = last
        switch (status, end) {
        case (.held(let reason), _):
            line = reason
            verdict = last.hasPrefix("unreachable") || end == .held("exit \(Self.unreachableExit)") ? .unreachable : .refused
        case (.finished(true, _), _):
            verdict = .ready
        case (_, .exited(Self.refusedExit, nil)?):
            verdict = .refused
        case (_, .exited(Self.unreachableExit, nil)?), (_, .exited(Self.sshFailedExit, nil)?):
            verdict = .unreachable
        case (.finished(false, let message), _):
            (verdict, line) = (.failed, message)
        default:
            (verdict, line) = (.failed, "\(status)")
        }
        // The verdict leads the event's message already: "unreachable: unreachable: ssh …" would say it twice.
        for prefix in ["\(verdict.rawValue): ", "precheck: \(verdict.rawValue): "] where line.hasPrefix(prefix) {
            line = (line.hasPrefix("precheck") ? "precheck: " : "") + String(line.dropFirst(prefix.count))
        }
        return Result(resourceID: job.resourceID, verdict: verdict, line: line.isEmpty ? "(no output)" : line, seconds: seconds,
                      outputPath: files.output(job.attemptID))
    }
}
