import Foundation
import Testing
@testable import PitstopCore

/// The import file: all or nothing, every problem by JSON path; export round-trips.
struct InterchangeTests {
    static let valid = """
        {"tasks": [{
          "id": "MT-0001", "title": "MySQL 8.0.39 engine upgrade", "service": "MySQL", "requirement": "mandatory",
          "recommendedAt": "2026-12-01T02:00:00+09:00", "deadline": "2026-12-15T00:00:00Z", "priority": "high",
          "type": "engine-upgrade", "downtime": true, "retries": 2, "maxConcurrency": 3,
          "executor": {"kind": "command", "argv": ["./upgrade.sh", "--fast"], "timeoutSeconds": 600},
          "resources": [{"id": "db-1", "name": "주문-db-1"}, {"id": "db-2", "name": "orders-db-2"}]
        }]}
        """

    @Test func readsEveryField() throws {
        let tasks = try ImportFormat.parse(Data(Self.valid.utf8))
        let t = try #require(tasks.first)
        #expect(t.id == "MT-0001" && t.service == .mysql && t.requirement == .mandatory && t.priority == .high)
        #expect(t.type == .engineUpgrade && t.downtime && t.retries == 2 && t.maxConcurrency == 3)
        #expect(InstantText.iso8601UTC(t.recommendedAt) == "2026-11-30T17:00:00Z")
        #expect(t.executor == .command(CommandExecutor(argv: ["./upgrade.sh", "--fast"], timeoutSeconds: 600)))
        #expect(t.resources.map(\.name) == ["주문-db-1", "orders-db-2"] && t.resources.allSatisfy { $0.status == .pending })
    }

    @Test func aHostIsReadAsAnSSHDestinationAndDefaultsToTheEndpointsHost() throws {
        let document = Self.valid.replacingOccurrences(
            of: #"{"id": "db-1", "name": "주문-db-1"}"#, with: #"{"id": "db-1", "name": "주문-db-1", "host": "admin@bastion-7"}"#)
            .replacingOccurrences(of: #"{"id": "db-2", "name": "orders-db-2"}"#,
                                  with: #"{"id": "db-2", "name": "orders-db-2", "endpoint": "[fd00::7]:5432"}"#)
        let t = try #require(try ImportFormat.parse(Data(document.utf8)).first)
        #expect(t.resources.map(\.host) == ["admin@bastion-7", nil])
        #expect(t.resources.map(\.sshDestination) == ["admin@bastion-7", "fd00::7"])
        #expect(ExportFormat.resourceObject(t.resources[0])["host"] as? String == "admin@bastion-7")
        #expect(Endpoint.hostPart("10.0.3.7:5432") == "10.0.3.7" && Endpoint.hostPart("db-7") == "db-7")
    }

    @Test func aHostThatSSHWouldReadAsAnOptionIsRefused() {
        for host in ["-oProxyCommand=touch /tmp/x", "db 7", "a@-b", "user@", "db;rm"] {
            let document = Self.valid.replacingOccurrences(
                of: #"{"id": "db-1", "name": "주문-db-1"}"#, with: #"{"id": "db-1", "name": "주문-db-1", "host": "\#(host)"}"#)
            #expect(throws: ImportRejection.self, "\(host)") { try ImportFormat.parse(Data(document.utf8)) }
        }
    }

    @Test func listsEveryProblemByPath() {
        let bad = """
            {"tasks": [
              {"id": "MT-1", "title": "t", "service": "Oracle", "requirement": "mandatory", "recommendedAt": "2026-12-01T02:00:00Z",
               "type": "os-update", "priority": "urgent", "retries": -1, "deadLine": "x",
               "resources": [{"id": "a", "name": "a"}, {"id": "a", "name": "b"}, {"name": "c"}]},
              {"id": "MT-1", "title": "u", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01 02:00",
               "type": "engine-upgrade", "executor": {"kind": "ssh"}, "resources": []}
            ]}
            """
        #expect {
            try ImportFormat.parse(Data(bad.utf8))
        } throws: { error in
            let paths = (error as? ImportRejection)?.problems.map(\.description) ?? []
            let expected = [
                "$.tasks[0].service: unknown value \"Oracle\"; expected one of \"MySQL\", \"PostgreSQL\"",
                "$.tasks[0].priority: unknown value \"urgent\"; expected one of \"high\", \"medium\", \"low\"",
                "$.tasks[0].retries: must be at least 0",
                "$.tasks[0].resources[1].id: \"a\" is already the id of $.tasks[0].resources[0]",
                "$.tasks[0].resources[2].id: is required",
                "$.tasks[0].deadline: is required for a mandatory task",
                "$.tasks[0].deadLine: unknown field",
                "$.tasks[1].recommendedAt: \"2026-12-01 02:00\" is not an ISO 8601 instant with an offset, e.g. 2026-12-01T02:00:00+09:00",
                "$.tasks[1].executor.kind: unknown value \"ssh\"; expected \"simulated\", \"command\" or \"runbook\"",
            ]
            return paths == expected
        }
    }

    @Test func rejectsMalformedJSON() {
        #expect(throws: ImportRejection.self) { try ImportFormat.parse(Data("{\"tasks\": [".utf8)) }
        #expect(throws: ImportRejection.self) { try ImportFormat.parse(Data("[]".utf8)) }
        #expect(throws: ImportRejection.self) { try ImportFormat.parse(Data("{\"tasks\": []}".utf8)) }
    }

    @Test func duplicateTaskIdsInOneFileAreRejected() throws {
        let one = try #require((try JSONSerialization.jsonObject(with: Data(Self.valid.utf8)) as? [String: Any])?["tasks"] as? [Any])
        let doubled = try JSONSerialization.data(withJSONObject: ["tasks": one + one])
        #expect { try ImportFormat.parse(doubled) } throws: { error in
            (error as? ImportRejection)?.problems.map(\.path) == ["$.tasks[1].id"]
        }
    }

    @Test func exportThenImportThenExportIsTheSameDocument() throws {
        let fleet = DemoFleet(taskCount: 12, resourceCount: 90, seed: 7).build(now: Fixture.now)
        let first = ExportFormat.json(tasks: Array(fleet.tasks))
        let reimported = try ImportFormat.parse(first)
        #expect(reimported == Array(fleet.tasks))
        #expect(ExportFormat.json(tasks: reimported) == first)
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        #expect(ExportFormat.csvField("plain") == "plain")
        #expect(ExportFormat.csvField("a,b") == "\"a,b\"")
        #expect(ExportFormat.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}

/// Executor values the engine cannot run are refused at import, with the field named.
struct ExecutorRangeTests {
    @Test(arguments: [
        (#"{"kind": "simulated", "durationSeconds": 1e308}"#, "durationSeconds"),
        (#"{"kind": "simulated", "durationSeconds": 5, "jitter": 7}"#, "jitter"),
        (#"{"kind": "command", "argv": ["/bin/true"], "timeoutSeconds": 1e300}"#, "timeoutSeconds"),
    ])
    func isRefused(executor: String, field: String) {
        let json = """
            {"tasks": [{"id": "T", "title": "t", "service": "MySQL", "type": "os-update", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "executor": \(executor), "resources": [{"id": "r", "name": "n"}]}]}
            """
        let rejection = #expect(throws: ImportRejection.self) { try ImportFormat.parse(Data(json.utf8)) }
        #expect(rejection?.description.contains(field) == true, "\(String(describing: rejection))")
    }
}
