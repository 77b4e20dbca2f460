import Foundation
import Testing
@testable import PitstopCore

/// Replicas before primaries: the `[topology]` rule where reservations are written, as a table, and the
/// order bulk reservations give a cluster.
struct TopologyRuleTests {
    /// Cluster `orders`: primary p, replicas r1 and r2; and a standalone s. `reserved` pre-reserves ids at hours.
    static func state(reserved: [String: Double] = [:]) -> FleetState {
        func member(_ id: String, _ role: ResourceRole) -> Resource {
            var resource = Fixture.resource(id, reserved[id] == nil ? .pending : .reserved, at: reserved[id])
            resource.role = role
            resource.cluster = role == .standalone ? nil : "orders"
            return resource
        }
        return Fixture.state([Fixture.task([member("p", .primary), member("r1", .replica), member("r2", .replica), member("s", .standalone)])])
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var reserved: [String: Double]
        var ids: [String]
        var hours: Double
        /// Expected refusals, as resource id → the replica named; empty when allowed.
        var refused: [String: String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "primary after both replicas", reserved: ["r1": 30, "r2": 31], ids: ["p"], hours: 32, refused: [:]),
        Case(name: "primary at the same time as a replica", reserved: ["r1": 30], ids: ["p"], hours: 30, refused: ["p": "r1"]),
        Case(name: "primary before a replica", reserved: ["r1": 30, "r2": 40], ids: ["p"], hours: 35, refused: ["p": "r2"]),
        Case(name: "replica after the primary", reserved: ["p": 30], ids: ["r1"], hours: 31, refused: ["r1": "r1"]),
        Case(name: "replica before the primary", reserved: ["p": 30], ids: ["r1"], hours: 29, refused: [:]),
        Case(name: "unreserved replicas do not block the primary", reserved: [:], ids: ["p"], hours: 30, refused: [:]),
        Case(name: "a standalone server is not part of the cluster", reserved: ["p": 30], ids: ["s"], hours: 31, refused: [:]),
        Case(name: "a whole cluster at one instant", reserved: [:], ids: ["p", "r1", "r2"], hours: 30, refused: ["p": "r1"]),
    ]

    @Test(arguments: cases)
    func topologyRule(_ c: Case) {
        let state = Self.state(reserved: c.reserved)
        let mutation = Mutation.reserve(taskID: "MT-0001", selection: .ids(c.ids), at: Fixture.at(hours: c.hours), stagger: nil, force: false)
        do {
            _ = try state.plan(mutation, context: Fixture.context())
            #expect(c.refused.isEmpty, "allowed, but expected refusals \(c.refused)")
        } catch {
            let refusals = Fixture.refusal(error)
            #expect(!c.refused.isEmpty, "refused: \(refusals)")
            #expect(refusals.allSatisfy { $0.rule == .topology })
            for (id, replica) in c.refused {
                #expect(refusals.contains { $0.resourceID == id && $0.message.contains("replica \(replica)-name") && $0.description.hasSuffix("replicas go first [topology]") },
                        "\(refusals)")
            }
        }
    }

    @Test func aStaggeredBulkReservationPutsReplicasFirstAndThePrimaryLast() throws {
        var state = Self.state()
        let plan = try state.apply(
            .reserve(taskID: "MT-0001", selection: .ids(["p", "s", "r1", "r2"]), at: Fixture.at(hours: 30), stagger: Stagger(spacing: 600), force: false),
            context: Fixture.context())
        #expect(!plan.events.isEmpty)
        let at = Dictionary(uniqueKeysWithValues: state.task(id: "MT-0001")!.resources.map { ($0.id, $0.scheduledAt!) })
        #expect(at["r1"]! < at["r2"]! && at["r2"]! < at["s"]! && at["s"]! < at["p"]!)
    }

    @Test func importRefusesARoleWithoutAClusterAndTwoPrimaries() {
        let document = """
            {"tasks": [{"id": "T", "title": "t", "service": "PostgreSQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "config-change",
              "resources": [{"id": "a", "name": "a", "role": "replica"},
                            {"id": "b", "name": "b", "role": "primary", "cluster": "c", "labels": {"zone": 3}},
                            {"id": "c", "name": "c", "role": "primary", "cluster": "c"}]}]}
            """
        #expect {
            try ImportFormat.parse(Data(document.utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains("$.tasks[0].resources[0].cluster: is required for a replica")
                && text.contains("$.tasks[0].resources[1].labels.zone: must be a string")
        }
        let twoPrimaries = document.replacingOccurrences(of: #"{"id": "a", "name": "a", "role": "replica"},"#, with: "")
            .replacingOccurrences(of: #", "labels": {"zone": 3}"#, with: "")
        #expect {
            try ImportFormat.parse(Data(twoPrimaries.utf8))
        } throws: { error in "\(error)".contains("cluster c has two primaries in this task: b and c") }
    }

    @Test func topologyFieldsSurviveExportAndImport() throws {
        let document = """
            {"tasks": [{"id": "T", "title": "t", "service": "PostgreSQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "config-change", "parameters": {"setting": "work_mem", "value": "64MB"},
              "precheck": ["/opt/lag-below", "10s"], "healthcheck": ["pg_isready"], "switchover": ["/opt/switchover"],
              "resources": [{"id": "a", "name": "a", "role": "replica", "cluster": "orders", "endpoint": "127.0.0.1:5433", "labels": {"zone": "b"}},
                            {"id": "b", "name": "b", "role": "primary", "cluster": "orders", "endpoint": "127.0.0.1:5432"},
                            {"id": "c", "name": "c"}]}]}
            """
        let tasks = try ImportFormat.parse(Data(document.utf8))
        let again = try ImportFormat.parse(ExportFormat.json(tasks: tasks))
        #expect(again == tasks)
        #expect(tasks[0].parameters == ["setting": "work_mem", "value": "64MB"])
        #expect(tasks[0].hooks == TaskHooks(precheck: .argv(["/opt/lag-below", "10s"]), healthcheck: .argv(["pg_isready"]), switchover: .argv(["/opt/switchover"])))
        let json = ExportFormat.object(tasks[0])
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(resources[0]["cluster"] as? String == "orders" && resources[0]["role"] as? String == "replica" && resources[2]["role"] == nil)
        #expect(tasks[0].resources[0].role == .replica && tasks[0].resources[0].labels == ["zone": "b"] && tasks[0].resources[2].role == .standalone)
    }

    @Test func hooksMayNameRunbooks() throws {
        let document = """
            {"tasks": [{"id": "T", "title": "t", "service": "PostgreSQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "config-change",
              "executor": {"kind": "runbook", "name": "pg-restart"},
              "precheck": {"kind": "runbook", "name": "pg-lag-check"}, "healthcheck": {"kind": "runbook", "name": "pg-healthcheck"},
              "resources": [{"id": "a", "name": "a"}]}]}
            """
        let tasks = try ImportFormat.parse(Data(document.utf8))
        #expect(tasks[0].hooks == TaskHooks(precheck: .runbook("pg-lag-check"), healthcheck: .runbook("pg-healthcheck")))
        #expect(try ImportFormat.parse(ExportFormat.json(tasks: tasks)) == tasks)
        for (hook, complaint) in [("{\"kind\": \"runbook\", \"name\": \"../sh\"}", "is not a runbook name"),
                                  ("{\"kind\": \"script\", \"name\": \"x\"}", "a hook names a \"runbook\""),
                                  ("{\"kind\": \"runbook\", \"name\": \"x\", \"args\": []}", "unknown field"),
                                  ("\"pg_isready\"", "must be an array of strings (an argv) or")] {
            let bad = document.replacingOccurrences(of: "{\"kind\": \"runbook\", \"name\": \"pg-healthcheck\"}", with: hook)
            #expect { try ImportFormat.parse(Data(bad.utf8)) } throws: { "\($0)".contains(complaint) }
        }
    }
}
