import Foundation
import PitstopTestSupport
import Testing

/// Each subcommand through the built binary: happy paths, refusals, and a store left unchanged by every error.
@Suite(.serialized)
struct CLITests {
    let dir = ScratchDirectory("pitstop-cli")
    var store: String { dir.file("store") }

    @discardableResult
    func pitstop(_ arguments: String..., env: [String: String] = [:], input: String? = nil) throws -> ProcessResult {
        try PitstopCommand(store: store).run(arguments, environment: env, input: input)
    }

    func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func resource(_ task: String, _ id: String) throws -> [String: Any] {
        let object = try json(try pitstop("task", task, "--json"))
        let resources = try #require(object["resources"] as? [[String: Any]])
        return try #require(resources.first { $0["id"] as? String == id })
    }

    func expectRefused(_ result: ProcessResult, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1 || result.stderr.contains("problem"), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    static let importFile = """
        {"tasks": [{"id": "MT-0001", "title": "MySQL 8.0.39 engine upgrade", "service": "MySQL", "requirement": "mandatory",
          "recommendedAt": "2026-12-01T02:00:00+09:00", "deadline": "2099-12-15T00:00:00Z", "priority": "high",
          "type": "engine-upgrade", "downtime": true,
          "resources": [{"id": "db-1", "name": "주문-db-1"}, {"id": "db-2", "name": "orders-db-2"}, {"id": "db-3", "name": "orders-db-3"}]},
          {"id": "MT-0002", "title": "Kernel patch", "service": "PostgreSQL", "requirement": "recommended",
          "recommendedAt": "2026-12-01T02:00:00Z", "type": "kernel-upgrade",
          "resources": [{"id": "db-1", "name": "주문-db-1"}]}]}
        """

    func imported() throws {
        let file = dir.file("import.json")
        try Self.importFile.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try pitstop("import", file)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func demoCreatesAStoreAndTasksListsIt() throws {
        let demo = try pitstop("demo")
        #expect(demo.status == 0 && demo.stdout.contains("16 tasks"))
        let list = try pitstop("tasks")
        #expect(list.status == 0 && list.stdout.contains("MT-0016") && list.stdout.contains("reservation required"))
        let failed = try json(try pitstop("tasks", "--json", "--status", "failed"))
        let tasks = try #require(failed["tasks"] as? [[String: Any]])
        #expect(!tasks.isEmpty && tasks.allSatisfy { $0["status"] as? String == "failed" })
        #expect(tasks[0]["counts"] is [String: Any] && tasks[0]["resources"] is [Any])
        expectRefused(try pitstop("tasks", "--status", "broken"), containing: "unknown status")
        expectRefused(try pitstop("demo"), containing: "--force")
        #expect(try pitstop("demo", "--force", "--tasks", "3", "--resources", "9").stdout.contains("3 tasks"))
    }

    @Test func globalOptionsWorkBeforeOrAfterTheSubcommandAndFromTheEnvironment() throws {
        try imported()
        let viaEnv = try runProcess(BuiltProducts.path("pitstop"), ["tasks"], environment: ["PITSTOP_STORE": store])
        #expect(viaEnv.status == 0 && viaEnv.stdout.contains("MT-0001"))
        let after = try runProcess(BuiltProducts.path("pitstop"), ["tasks", "--store", store])
        #expect(after.stdout == viaEnv.stdout)
        let missing = try runProcess(BuiltProducts.path("pitstop"), ["--store", dir.file("nowhere"), "tasks"])
        expectRefused(missing, containing: "no store at")
    }

    @Test func importIsAllOrNothingAndListsEveryProblem() throws {
        try imported()
        let before = try pitstop("export").stdout
        let bad = dir.file("bad.json")
        try #"{"tasks": [{"id": "MT-0003", "title": "x", "service": "DB2", "requirement": "mandatory", "recommendedAt": "2026-12-01T00:00:00Z", "type": "os-update", "resources": []}, {"id": "MT-0004"}]}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try pitstop("import", bad)
        expectRefused(result, containing: "$.tasks[0].service")
        #expect(result.stderr.contains("$.tasks[0].deadline: is required for a mandatory task"))
        #expect(result.stderr.contains("$.tasks[1].title: is required"))
        expectRefused(try pitstop("import", dir.file("import.json")), containing: "MT-0001 already exists")
        #expect(try pitstop("export").stdout == before, "nothing was written")
    }

    @Test func exportRoundTripsThroughImport() throws {
        #expect(try pitstop("demo", "--tasks", "9", "--resources", "60").status == 0)
        let exported = try pitstop("export")
        let copy = ScratchDirectory("pitstop-copy")
        let run = { (args: [String], input: String?) in
            try runProcess(BuiltProducts.path("pitstop"), ["--store", copy.file("s")] + args, input: input)
        }
        #expect(try run(["import", "-"], exported.stdout).status == 0)
        #expect(try run(["export"], nil).stdout == exported.stdout)
        let csv = try pitstop("export", "--format", "csv").stdout
        #expect(csv.hasPrefix("task_id,task_title,service") && csv.split(separator: "\r\n").count == 61)
    }

    @Test func reserveAcceptsEveryTimeFormAndRefusesImpossibleOnes() throws {
        try imported()
        #expect(try pitstop("reserve", "MT-0001", "db-1", "--at", "now+30h").status == 0)
        #expect((try resource("MT-0001", "db-1"))["status"] as? String == "reserved")
        #expect(try pitstop("reserve", "MT-0001", "db-2", "--at", "2099-12-01 10:00", env: ["TZ": "Asia/Seoul"]).status == 0)
        #expect((try resource("MT-0001", "db-2"))["scheduledAt"] as? String == "2099-12-01T01:00:00Z")
        #expect(try pitstop("reserve", "MT-0001", "db-3", "--at", "2099-12-01T02:00:00+09:00").status == 0)
        expectRefused(try pitstop("reserve", "MT-0002", "db-1", "--at", "2099-03-08 02:30", env: ["TZ": "America/New_York"]), containing: "does not exist in America/New_York")
        let ambiguous = try pitstop("reserve", "MT-0002", "db-1", "--at", "2099-11-01 01:30", env: ["TZ": "America/New_York"])
        #expect(ambiguous.status == 0 && ambiguous.stderr.contains("happens twice"))
        expectRefused(try pitstop("reserve", "MT-0001", "db-1", "--at", "someday"), containing: "is not a time")
    }

    @Test func refusedReservationsNameTheRuleAndChangeNothing() throws {
        try imported()
        let before = try pitstop("export").stdout
        expectRefused(try pitstop("reserve", "MT-0001", "db-1", "--at", "now+1h"), containing: "[minLeadTime]")
        expectRefused(try pitstop("reserve", "MT-0001", "db-1", "--at", "2100-01-01T00:00:00Z"), containing: "[deadline]")
        #expect(try pitstop("reserve", "MT-0002", "db-1", "--at", "2099-06-01T00:00:00Z").status == 0)
        let between = try pitstop("export").stdout
        expectRefused(try pitstop("reserve", "MT-0001", "db-1", "--at", "2099-06-01T00:30:00Z"), containing: "MT-0002")
        expectRefused(try pitstop("reserve", "MT-0009", "db-1", "--at", "now+30h"), containing: "no task MT-0009")
        expectRefused(try pitstop("reserve", "MT-0001", "--at", "now+30h"), containing: "--all-pending")
        #expect(try pitstop("export").stdout == between)
        #expect(before != between)
    }

    @Test func staggeredBulkReservation() throws {
        try imported()
        let result = try pitstop("reserve", "MT-0001", "--all-pending", "--at", "2099-06-01T00:00:00Z", "--stagger", "15", "--per-slot", "2")
        #expect(result.status == 0, "\(result.stderr)")
        let times = try ["db-1", "db-2", "db-3"].map { try resource("MT-0001", $0)["scheduledAt"] as? String }
        #expect(times == ["2099-06-01T00:00:00Z", "2099-06-01T00:00:00Z", "2099-06-01T00:15:00Z"])
    }

    @Test func clearExcludeIncludeAndRetry() throws {
        try imported()
        #expect(try pitstop("reserve", "MT-0001", "db-1", "db-2", "--at", "now+30h").status == 0)
        #expect(try pitstop("clear", "MT-0001", "db-1").status == 0)
        #expect((try resource("MT-0001", "db-1"))["status"] as? String == "pending")
        expectRefused(try pitstop("clear", "MT-0001", "db-1"), containing: "no reservation to clear")
        #expect(try pitstop("exclude", "MT-0001", "db-2").status == 0)
        #expect((try resource("MT-0001", "db-2"))["status"] as? String == "excluded")
        #expect(try pitstop("include", "MT-0001", "db-2").status == 0)
        #expect((try resource("MT-0001", "db-2"))["status"] as? String == "reserved", "its future reservation still holds")
        expectRefused(try pitstop("retry", "MT-0001", "db-3"), containing: "only failed resources can be retried")
        expectRefused(try pitstop("clear", "MT-0001"), containing: "at least one resource")
    }

    @Test func eventsListTheAuditLog() throws {
        try imported()
        #expect(try pitstop("reserve", "MT-0001", "db-1", "--at", "now+30h").status == 0)
        let text = try pitstop("events", "--task", "MT-0001")
        #expect(text.stdout.contains("imported") && text.stdout.contains("reserved") && !text.stdout.contains("MT-0002"))
        let object = try json(try pitstop("events", "--json"))
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.count == 3 && events.last?["kind"] as? String == "reserved" && (events.last?["actor"] as? String)?.hasSuffix("(cli)") == true)
        // By machine, from a compacted store: through the event file's index.
        #expect(try pitstop("store", "compact").status == 0)
        let byResource = try #require(try json(try pitstop("events", "--resource", "db-1", "--json"))["events"] as? [[String: Any]])
        #expect(byResource.map { $0["kind"] as? String } == ["reserved"] && byResource.allSatisfy { $0["resourceId"] as? String == "db-1" })
        expectRefused(try pitstop("events", "--resource", "no-such-db"), containing: "no task holds a resource no-such-db")
    }

    @Test func policyShowAndSet() throws {
        try imported()
        #expect(try pitstop("policy", "set", "minLeadTime", "2h").status == 0)
        #expect(try pitstop("policy", "set", "notifyCommand", #"["/bin/true"]"#).status == 0)
        let shown = try pitstop("policy", "show").stdout
        let rows = Dictionary(uniqueKeysWithValues: shown.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        #expect(rows["minLeadTime"] == "2h" && rows["notifyCommand"] == #"["/bin/true"]"# && rows["clusterConcurrency"] == "1")
        expectRefused(try pitstop("policy", "set", "speed", "fast"), containing: "unknown policy key")
        expectRefused(try pitstop("policy", "set", "lockout", "tomorrow"), containing: "is not a duration")
        #expect(try pitstop("reserve", "MT-0001", "db-1", "--at", "now+3h").status == 0, "the new lead time applies")
        expectRefused(try pitstop("policy", "set", "maxConcurrency", "-3"), containing: "maxConcurrency: \"-3\" is not a whole number from 1 to 10000")
    }

    @Test func configCheckAndShowReadTheConsolesFileAndNameTheBadLine() throws {
        let config = dir.file("config")
        try FileManager.default.createDirectory(atPath: config + "/pitstop", withIntermediateDirectories: true)
        let env = ["XDG_CONFIG_HOME": config, "TZ": "UTC"]
        func cli(_ arguments: String...) throws -> ProcessResult { try runProcess(PitstopCommand.binary, arguments, environment: env) }
        let none = try cli("config", "check")
        #expect(none.status == 0 && none.stdout.contains("no config file at \(config)/pitstop/config.toml"), "\(none.stdout)\(none.stderr)")
        try "theme = \"light\"\n[keys]\nundo = \"U\"\n".write(toFile: config + "/pitstop/config.toml", atomically: true, encoding: .utf8)
        let ok = try cli("config", "check")
        #expect(ok.status == 0 && ok.stdout == "ok: \(config)/pitstop/config.toml: theme light, sort id asc, 1 key remapped\n", "\(ok.stdout)\(ok.stderr)")
        let shown = try cli("config", "show")
        #expect(shown.status == 0 && shown.stdout.contains("undo = [\"U\"]   # remapped") && shown.stdout.contains("quit = [\"q\"]"))
        try "[keys]\nundo = \"q\"\n".write(toFile: config + "/pitstop/config.toml", atomically: true, encoding: .utf8)
        let bad = try cli("config", "check")
        #expect(bad.status != 0 && bad.stderr == "error: \(config)/pitstop/config.toml:2: q would be bound to both undo and quit\n", "\(bad.stderr)")
        let withStore = try cli("--store", store, "config", "show")
        #expect(withStore.status != 0 && withStore.stderr.contains("--store does not apply"))
    }

    @Test func versionHelpAndOptionsThatDoNotApply() throws {
        let version = try runProcess(BuiltProducts.path("pitstop"), ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("pitstop ") && version.stdout.contains("(store format 2)"))
        let help = try runProcess(BuiltProducts.path("pitstop"), ["--help"]).stdout
        #expect(help.contains("GLOBAL OPTIONS") && help.contains("--store <path>") && help.contains("--no-color"))
        expectRefused(try pitstop("bench"), containing: "bench makes its own temporary store, so --store does not apply")
    }

    @Test func readonlyRefusesEveryChange() throws {
        try imported()
        expectRefused(try pitstop("--readonly", "reserve", "MT-0001", "db-1", "--at", "now+30h"), containing: "--readonly")
        expectRefused(try pitstop("--readonly", "policy", "set", "maxConcurrency", "2"), containing: "--readonly")
        #expect(try pitstop("--readonly", "tasks").status == 0)
    }

    @Test func storeMaintenanceCommands() throws {
        try imported()
        #expect(try pitstop("store", "info").stdout.contains("tasks        2"))
        #expect(try pitstop("store", "compact").status == 0)
        #expect(try pitstop("store", "check").stdout.hasSuffix("ok\n"))
        var bytes = [UInt8](FileManager.default.contents(atPath: store + "/snapshot")!)
        bytes[bytes.count - 30] ^= 0x40
        FileManager.default.createFile(atPath: store + "/snapshot", contents: Data(bytes))
        let check = try pitstop("store", "check")
        #expect(check.status == 1 && check.stdout.contains("damaged: "))
        #expect(check.stderr.hasPrefix("error: the store is damaged (1 problem above); `pitstop store recover` can rebuild it"), "\(check.stderr)")
        expectRefused(try pitstop("tasks"), containing: "is damaged at byte")
        expectRefused(try pitstop("tasks"), containing: "Run `pitstop store check` for details")
        let recover = try pitstop("store", "recover")
        #expect(recover.status == 0 && recover.stdout.contains("rebuilt"))
        #expect(try pitstop("tasks").stdout.contains("MT-0002"))
    }
}
