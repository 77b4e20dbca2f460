import CPitstopSpawn
public import Foundation
import PitstopCore
import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// The executors of a real engine: every attempt, simulated or command, runs under its own supervisor process
/// (`pitstop-supervisor`), so that it survives the console and the engine that started it (SPEC §10).
///
/// Starting one: lock the machine, create and lock the record, write its header, spawn the supervisor in a new
/// session holding both locked descriptors, close ours. The locks pass with the open file descriptions, so
/// there is no instant at which a live attempt looks unlocked.
public struct SupervisedExecutors: ExecutorFactory {
    /// Time between SIGTERM and SIGKILL when an attempt times out or is cancelled.
    public static let killGrace: TimeInterval = 5

    /// The store's attempt files.
    public let files: AttemptFiles
    /// The supervisor program.
    public let supervisor: String
    /// The engine's environment, which the command inherits under its `PITSTOP_*` variables.
    let baseEnvironment: [String: String]

    /// Executors for a store; the supervisor is found beside `pitstop` unless given.
    public init(storeDirectory: String, supervisor: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(files: AttemptFiles(storeDirectory: storeDirectory), supervisor: supervisor, environment: environment)
    }

    /// Executors writing to `files` (a store's attempts, or its rehearsals).
    public init(files: AttemptFiles, supervisor: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.files = files
        self.supervisor = supervisor ?? Self.defaultSupervisor(environment: environment)
        baseEnvironment = environment
    }

    /// Refuses to run an engine whose supervisor is missing or cannot be run: one error naming the paths looked
    /// at, rather than a failure in every resource's message.
    public func checkSupervisor(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard access(supervisor, X_OK) != 0 else { return }
        let why = String(cString: strerror(errno))
        let candidates = Self.supervisorCandidates(environment: environment)
        if candidates.contains(supervisor) {
            let origin = environment["PITSTOP_SUPERVISOR"].map { $0.isEmpty ? nil : "$PITSTOP_SUPERVISOR" } ?? nil
            throw SupervisorMissing(looked: candidates, reason: why, origin: origin)
        }
        throw SupervisorMissing(looked: [supervisor], reason: why, origin: nil)
    }

    /// `$PITSTOP_SUPERVISOR`, else the first of the installed places that holds one (see `supervisorCandidates`),
    /// else the first of them.
    public static func defaultSupervisor(environment: [String: String]) -> String {
        let candidates = supervisorCandidates(environment: environment)
        return candidates.first { access($0, X_OK) == 0 } ?? candidates[0]
    }

    /// Where the supervisor is looked for: only `$PITSTOP_SUPERVISOR` when it is set; otherwise beside the
    /// running program (a build directory, or `make install`'s `bin/` before 0.3), then `../libexec/pitstop/`
    /// from it (where `make install` and the Debian package put it, off everyone's PATH).
    public static func supervisorCandidates(environment: [String: String]) -> [String] {
        if let explicit = environment["PITSTOP_SUPERVISOR"], !explicit.isEmpty { return [explicit] }
        let directory = URL(fileURLWithPath: runningProgram).deletingLastPathComponent()
        return [
            directory.appendingPathComponent("pitstop-supervisor").path,
            directory.deletingLastPathComponent().appendingPathComponent("libexec/pitstop/pitstop-supervisor").standardizedFileURL.path,
        ]
    }

    /// The path of the program this process runs (`/proc/self/exe`, else its argv[0]).
    public static var runningProgram: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `job` under a new supervisor; nil when it is no longer wanted once its machine is locked.
    public func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)? {
        try withoutActuallyEscaping(stillWanted) { wanted in
            startAll([job], now: now) { _ in wanted() }[0]
        }.get()
    }

    /// Starts each job under its own supervisor: every machine locked, record written and wish checked in
    /// turn, then the supervisors spawned side by side (a spawn waits for the new program to be loaded, most
    /// of a start's time), then our copies of the locks closed.
    public func startAll(_ jobs: [ExecutionJob], now: Date, stillWanted: (ExecutionJob) -> Bool) -> [Result<(any Execution)?, AttemptError>] {
        var results = [Result<(any Execution)?, AttemptError>](repeating: .success(nil), count: jobs.count)
        var ready: [(index: Int, launch: Launch)] = []
        for (index, job) in jobs.enumerated() {
            do {
                if let launch = try prepare(job, now: now, stillWanted: { stillWanted(job) }) { ready.append((index, launch)) }
            } catch {
                results[index] = .failure(error)
            }
        }
        var outcomes = [(result: Int32, pid: pid_t)](repeating: (0, 0), count: ready.count)
        // Safe without a lock: each iteration reads only its own launch and writes only its own slot, and
        // nothing is read back until concurrentPerform has returned.
        let launches = ready.map(\.launch)
        let program = supervisor
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let output = slots
            DispatchQueue.concurrentPerform(iterations: launches.count) { k in output[k] = launches[k].spawn(program) }
        }
        for (k, entry) in ready.enumerated() {
            defer { entry.launch.close() }
            let (result, pid) = outcomes[k]
            guard result == 0 else {
                // Written down, so that whoever follows sees a refusal rather than a command that never started.
                let line = Array("end \(AttemptRecord.milliseconds(now)) refused cannot start the supervisor \(supervisor): \(String(cString: strerror(result)))\n".utf8)
                _ = line.withUnsafeBytes { write(entry.launch.record, $0.baseAddress, $0.count) }
                results[entry.index] = .failure(.spawn(program: supervisor, errno: result))
                continue
            }
            results[entry.index] = .success(SupervisedExecution(job: jobs[entry.index], files: files, spawnedPID: pid))
        }
        return results
    }

    /// A start made ready to spawn: both locks held, the record's header written.
    struct Launch: Sendable {
        var record: Int32
        var machine: Int32
        /// The runbooks' descriptors, handed to the supervisor as 5, 6, ….
        var kept: [Int32]
        var arguments: [String]
        var environment: [String]

        /// Spawns the supervisor with both locked descriptors; its result code and pid.
        func spawn(_ supervisor: String) -> (Int32, pid_t) {
            var pid: pid_t = 0
            let result = SupervisedExecutors.withCStrings(arguments) { argv in
                SupervisedExecutors.withCStrings(environment) { envp in
                    kept.withUnsafeBufferPointer { kept in
                        pitstop_spawn_supervisor(supervisor, argv, envp, record, machine, kept.baseAddress, Int32(kept.count), &pid)
                    }
                }
            }
            return (result, pid)
        }

        func close() {
            Glibc.close(record)
            Glibc.close(machine)
            kept.forEach { Glibc.close($0) }
        }
    }

    /// Locks the machine, asks whether the job is still wanted, then creates and locks its record and writes
    /// the header; nil when it is no longer wanted.
    private func prepare(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> Launch? {
        guard access(supervisor, X_OK) == 0 else { throw .supervisorMissing(path: supervisor) }
        if let reason = CommandSeal(storeDirectory: files.storeDirectory).refusal(content: job.sealedContent, seal: job.ownerSeal, sealing: "pitstop store seal \(job.taskID)") {
            throw .unsealed(taskID: job.taskID, reason: reason)
        }
        if let problem = job.targetProblem { throw .unsafeTarget(resourceID: job.resourceID, reason: problem) }
        // Runbooks are opened and checked now and run from these descriptors (5, 6, …) by the supervisor.
        var kept: [Int32] = []
        var handedOver = false
        defer { if !handedOver { kept.forEach { Glibc.close($0) } } }
        var runbookPath: String?
        if case .command(let spec) = job.executor, let name = spec.runbook { runbookPath = try keep(files.openRunbook(name), in: &kept) }
        let hooks = try resolvedHooks(job, keeping: &kept)
        try files.prepare()
        guard let machine = try files.lockExclusively(files.machineLock(job.resourceID)) else {
            throw .machineBusy(resourceID: job.resourceID)
        }
        defer { if !handedOver { Glibc.close(machine) } }
        guard stillWanted() else { return nil }
        let recordPath = files.record(job.attemptID)
        // A record already there belongs to this attempt id: one whose command never started (else the engine
        // would not start it again). Locked means its supervisor still lives: leave it alone.
        guard let record = try files.lockExclusively(recordPath, truncate: true) else {
            throw .machineBusy(resourceID: job.resourceID)
        }
        unlink(files.cancelRequest(job.attemptID))
        let header = Array(AttemptRecord.header(attemptID: job.attemptID, job: job, now: now).utf8)
        guard header.withUnsafeBytes({ write(record, $0.baseAddress, $0.count) }) == header.count else {
            let failure = errno
            Glibc.close(record)
            throw .io(path: recordPath, operation: "write", errno: failure)
        }
        var environment = baseEnvironment
        for (key, value) in job.environment { environment[key] = value }
        environment["PITSTOP_SUPERVISOR"] = nil
        environment["PITSTOP_PROGRAM"] = pitstopProgram
        handedOver = true
        return Launch(
            record: record, machine: machine, kept: kept,
            arguments: [supervisor] + supervisorArguments(job, recordPath: recordPath, runbookPath: runbookPath, hooks: hooks, kept: kept.count),
            environment: environment.map { "\($0.key)=\($0.value)" })
    }

    /// Follows an attempt through its record and output, whoever started it.
    public func follow(_ job: ExecutionJob, now: Date) -> (any Execution)? {
        SupervisedExecution(job: job, files: files, spawnedPID: nil)
    }

    /// The hooks `job` runs, each as an argv, runbooks resolved (and checked) in `STORE/runbooks/`. The
    /// switchover is a primary's alone; the precheck and the health check are every member's. A Patroni member
    /// (label `patroni_url`) is checked against Patroni first (`pitstop patroni precheck`, SPEC §16), which
    /// then runs the task's own precheck.
    func resolvedHooks(_ job: ExecutionJob, keeping kept: inout [Int32]) throws(AttemptError) -> [(name: String, argv: [String])] {
        var hooks: [(name: String, argv: [String])] = []
        for case let (name, command?) in job.hooks.named where name != "switchover" || job.role == .primary {
            switch command {
            case .argv(let argv): hooks.append((name, argv))
            case .runbook(let runbook): hooks.append((name, [try keep(files.openRunbook(runbook), in: &kept)]))
            }
        }
        if job.labels[PatroniCluster.urlLabel] != nil {
            let switchover = hooks.contains { $0.name == "switchover" }
            var live = [pitstopProgram, "patroni", "precheck"] + (switchover ? ["--switchover"] : [])
            if let own = hooks.firstIndex(where: { $0.name == "precheck" }) {
                live += ["--"] + hooks[own].argv
                hooks.remove(at: own)
            }
            hooks.insert(("precheck", live), at: 0)
        }
        return hooks
    }

    /// Keeps an opened runbook for the supervisor; the path its steps run it by (`/dev/fd/N`).
    private func keep(_ fd: Int32, in kept: inout [Int32]) -> String {
        kept.append(fd)
        return "/dev/fd/\(AttemptFiles.firstKeptDescriptor + Int32(kept.count - 1))"
    }

    /// The `pitstop` program the runbooks and the Patroni check call: `$PITSTOP_PROGRAM`, else `pitstop`
    /// beside the supervisor.
    var pitstopProgram: String {
        if let explicit = baseEnvironment["PITSTOP_PROGRAM"], !explicit.isEmpty { return explicit }
        return URL(fileURLWithPath: supervisor).deletingLastPathComponent().appendingPathComponent("pitstop").path
    }

    func supervisorArguments(_ job: ExecutionJob, recordPath: String, runbookPath: String?, hooks: [(name: String, argv: [String])], kept: Int) -> [String] {
        var arguments = ["--record", recordPath, "--output", files.output(job.attemptID), "--grace", String(Self.killGrace),
                         "--mode", String(files.sharing.fileMode, radix: 8)]
        if kept > 0 { arguments += ["--kept", String(kept)] }
        for (name, argv) in hooks { arguments += ["--hook", name, String(argv.count)] + argv }
        switch job.executor {
        case .simulated(let spec):
            let outcome = SimulatedOutcome(job: job, spec: spec)
            // Hooks are real commands even around a simulation: they get a timeout.
            if !hooks.isEmpty { arguments += ["--timeout", String(Int(outcome.duration) + 600)] }
            arguments += ["--simulate", String(outcome.duration), "--exit", outcome.succeeds ? "0" : "1",
                          "--label", outcome.label, "--final", outcome.finalMessage, "--"]
        case .command(let spec):
            arguments += ["--timeout", String(spec.timeoutSeconds)]
            if let directory = spec.workingDirectory { arguments += ["--cwd", directory] }
            arguments += ["--"] + (runbookPath.map { [$0] } ?? spec.argv)
        }
        return arguments
    }

    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// The engine's supervisor program cannot be run.
public struct SupervisorMissing: Error, CustomStringConvertible {
    /// The paths looked at, in order.
    public let looked: [String]
    /// Why the last one cannot be run (strerror).
    public let reason: String
    /// `$PITSTOP_SUPERVISOR` when the path came from there.
    public let origin: String?
    public var description: String {
        let problem = reason == "No such file or directory" ? "is not" : "cannot be run (\(reason))"
        let places = looked.count == 1 ? looked[0] : looked.dropLast().joined(separator: ", ") + " or " + looked[looked.count - 1]
        let source = origin.map { " (\($0))" } ?? ""
        let remedy = origin == nil ? "run `make install` (or install the pitstop package), or set PITSTOP_SUPERVISOR" : "fix or unset PITSTOP_SUPERVISOR"
        return "the engine cannot run attempts: pitstop-supervisor \(problem) at \(places)\(source); \(remedy)"
    }
}
