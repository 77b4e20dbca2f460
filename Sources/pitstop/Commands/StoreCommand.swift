import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// `pitstop store init|info|check|compact|recover`.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Inspect and maintain the store files.",
        subcommands: [Init.self, Info.self, Check.self, Compact.self, Recover.self, Seal.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty store: private to you, or with --group shared with a team.",
            discussion: """
                With --group the directory is given to the group with mode 3770 (sticky: members cannot rename the owner's files), and every file the store makes \
                later is 0660, whatever the umask of the member who makes it. A team store may be written by its \
                owner and the group's members; nobody else can read it.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Share the store with this group (a name or a number); you must be a member.")
        var group: String?
        @OptionGroup var etcd: EtcdOptions

        func run() throws {
            let directory = global.storeDirectory
            guard !FileManager.default.fileExists(atPath: StoreLayout(directory: directory).snapshot) else {
                throw CLIError("\(directory) already holds a store; nothing was changed")
            }
            let binding = try etcd.binding()
            if binding != nil, group != nil {
                // Whoever holds the etcd client key writes the fleet as its owner would (docs/team.md): a copy
                // its group could write would hand that power to every member.
                throw CLIError("--group and --etcd do not go together: a host's copy of a fleet in etcd is its owner's alone, and every writer needs the etcd client key (see \"Who is trusted with what\" in docs/team.md); nothing was changed")
            }
            var created = true
            if let binding {
                // The fleet first: nothing is made here unless etcd answers.
                created = try EtcdReplica(binding).createOrJoin(now: Date())
            }
            if let group { try StoreSharing.prepareTeamDirectory(directory, group: group) }
            _ = try CLIContext(global: global).openForWriting(command: "store init", create: true)
            // The owner's seal key, made now so that the engine can tell the owner's commands from the first day.
            if group != nil { _ = try OwnerKey.loadOrCreate(storeDirectory: directory) }
            if let binding {
                try StoreReplicas.bind(directory, binding: binding.json)
                // Opening now takes the fleet's records into this host's copy.
                let store = try CLIContext(global: global).openForWriting(command: "store init")
                print(created
                    ? "created the fleet \(binding.prefix) in etcd (\(binding.endpoints.joined(separator: ","))), with this host's copy in \(directory)"
                    : "joined the fleet \(binding.prefix) in etcd: \(store.state.tasks.count) task(s) at change \(store.sequence), copied into \(directory)")
                return
            }
            switch StoreSharing.of(directory: directory) {
            case .owner: print("created \(directory), private to you (directory 0700, files 0600)")
            case .group: print("created \(directory) for group \(group ?? "?") (directory 3770, files 0660)")
            }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where the store is and how big.")
        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Decode every task first, so that memory is what a console or an engine holds (a store opens without decoding its tasks).")
        var decoded = false

        func run() throws {
            let store = try CLIContext(global: global).openForReading()
            if decoded { store.decodeAllTasks() }
            let info = store.info
            print("""
                store        \(info.directory)
                change       \(info.sequence)
                tasks        \(info.tasks)
                resources    \(info.resources)
                events       \(info.events)
                snapshot     \(info.snapshotBytes) bytes
                event file   \(info.eventFile.map { "\($0), \(info.eventFileBytes) bytes" } ?? "none yet (the log is in the snapshot until the next compaction)")
                journal      \(info.journalBytes) bytes (compacts at \(info.compactionThreshold))
                memory       \(Int(Timing.residentMB().rounded())) MB resident in this process after opening\(decoded ? " and decoding every task" : "")
                peak memory  \(Int(Timing.peakResidentMB().rounded())) MB at most
                """)
            if let replica = store.replica as? EtcdReplica {
                let status = try? replica.client.status()
                let leader = status == nil ? nil : try? EtcdLeadership.leader(of: replica)
                let here = EngineLock.holder(storeDirectory: store.directory)
                let role = here.map { pid in leader == EtcdLeadership.identity(pid: pid) ? "leader (pid \(pid))" : "standby (pid \(pid))" } ?? "no engine runs here"
                print("""
                    fleet        etcd \(replica.binding.endpoints.joined(separator: ","))
                    prefix       \(replica.binding.prefix)
                    revision     \(status.map { "\($0.revision) (etcd \($0.version))" } ?? "etcd does not answer")
                    leader       \(status == nil ? "unknown" : leader ?? "none: no engine leads")
                    this host    \(role)
                    """)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify every checksum; exits 1 if the store would not open.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let report = try StoreCheck.run(global.storeDirectory)
            report.findings.forEach { print(StoreReportText.line($0)) }
            report.errors.forEach { print("damaged: \(StoreReportText.line($0))") }
            // Warnings and the verdict follow the error convention: on stderr, and a non-zero exit when damaged.
            report.warnings.forEach { FileHandle.standardError.write(Data("warning: \(StoreReportText.line($0))\n".utf8)) }
            guard report.isHealthy else {
                throw CLIError("the store is damaged (\(report.errors.count) problem\(report.errors.count == 1 ? "" : "s") above); \(StoreReportText.remedy(report))")
            }
            guard let untrusted = report.untrusted else {
                print("seals: not checked (only the store's owner may read its seal key; the engine checks them before it runs anything)")
                return try checkReplica()
            }
            for (taskID, verdict) in untrusted {
                let what = taskID.map { "task \($0)'s command" } ?? "notifyCommand"
                let sealing = taskID.map { "pitstop store seal \($0)" } ?? "pitstop store seal --notify-command"
                print("untrusted: \(what) will not be run by the engine: \(CommandSeal.reason(verdict, sealing: sealing) ?? "")")
            }
            guard untrusted.isEmpty else {
                throw CLIError("\(untrusted.count) command(s) in this team store lack the owner's seal (above): a member's hand or an older pitstop put them there; once the owner has checked them, `pitstop store seal --all` seals them")
            }
            try checkReplica()
        }

        /// A copy of a fleet in etcd: checked against the fleet too.
        func checkReplica() throws {
            if let verdict = try StoreReplicaCheck.run(global.storeDirectory) {
                guard case .differs = verdict else { print(verdict.line); print("ok"); return }
                throw CLIError(verdict.line)
            }
            print("ok")
        }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold the journal into a new snapshot now, and remove attempt records and outputs older than outputRetention.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let store = try CLIContext(global: global).openForWriting(command: "store compact")
            let before = store.info.journalBytes
            try store.compact()
            print("compacted: journal \(before) → \(store.info.journalBytes) bytes, snapshot \(store.info.snapshotBytes) bytes at change \(store.sequence)")
            let retention = store.state.policy.outputRetention
            let removed = AttemptRetention.prune(storeDirectory: store.directory, state: store.state, now: Date())
            print("removed \(removed) attempt file(s) older than \(DurationText.format(retention)) (outputRetention)")
        }
    }

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a damaged store from the newest readable snapshot (or its backup) and the journals.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            guard !global.readonly else { throw CLIError("--readonly is set, and `pitstop store recover` changes the store") }
            let report = try StoreRecovery.run(global.storeDirectory)
            report.steps.forEach { print(StoreReportText.line($0)) }
        }
    }
}
