import Foundation
@testable import PitstopCore
import Testing

/// The roles Patroni reports (SPEC §16): kept on every resource of that member, in every task, only where
/// they contradict the stored role, and used wherever a cluster is ordered.
struct LiveRoleTests {
    /// Cluster `orders` under Patroni: pg1 primary, pg2 and pg3 replicas, in two tasks; a standalone `s`.
    static func state() -> FleetState {
        func member(_ name: String, _ role: ResourceRole) -> Resource {
            var resource = Fixture.resource("orders-\(name)")
            resource.cluster = "orders"
            resource.role = role
            resource.labels = [PatroniCluster.memberLabel: name, PatroniCluster.urlLabel: "http://10.0.0.1:8008"]
            return resource
        }
        let members = [member("pg1", .primary), member("pg2", .replica), member("pg3", .replica), Fixture.resource("s")]
        return Fixture.state([Fixture.task("A", members), Fixture.task("B", members)])
    }

    static let afterSwitchover: [String: ResourceRole] = ["pg1": .replica, "pg2": .primary, "pg3": .replica]

    @Test func aSwitchoverSeenInPatroniMarksBothMembersInEveryTaskAndSaysSo() throws {
        var state = Self.state()
        #expect(state.liveRolesDiffer(cluster: "orders", roles: Self.afterSwitchover))
        let plan = try state.apply(.observeRoles(cluster: "orders", roles: Self.afterSwitchover), context: Fixture.context())
        for task in ["A", "B"] {
            let resources = try #require(state.task(id: task)).resources
            #expect(resources.map(\.liveRole) == [.replica, .primary, nil, nil], "only the contradicted roles are kept")
            #expect(resources.map(\.effectiveRole) == [.replica, .primary, .replica, .standalone])
            #expect(resources.map(\.role) == [.primary, .replica, .replica, .standalone], "the task's word is unchanged")
        }
        #expect(plan.events.map(\.kind) == Array(repeating: .roleChanged, count: 4))
        #expect(plan.events.contains { $0.taskID == "B" && $0.message == "orders-pg2-name is now primary in Patroni (its task says replica)" })
        #expect(!state.liveRolesDiffer(cluster: "orders", roles: Self.afterSwitchover), "the same report again changes nothing")
    }

    @Test func theSameRolesAgainClearTheLiveRole() throws {
        var state = Self.state()
        try state.apply(.observeRoles(cluster: "orders", roles: Self.afterSwitchover), context: Fixture.context())
        let plan = try state.apply(.observeRoles(cluster: "orders", roles: ["pg1": .primary, "pg2": .replica]), context: Fixture.context())
        #expect(state.tasks.allSatisfy { $0.resources.allSatisfy { $0.liveRole == nil } })
        #expect(plan.events.contains { $0.message == "orders-pg1-name is primary again in Patroni, as its task says" })
    }

    @Test func anotherClusterOrAMemberWithoutItsLabelIsLeftAlone() throws {
        var state = Self.state()
        #expect(!state.liveRolesDiffer(cluster: "billing", roles: Self.afterSwitchover))
        try state.apply(.observeRoles(cluster: "billing", roles: Self.afterSwitchover), context: Fixture.context())
        try state.apply(.observeRoles(cluster: "orders", roles: ["s": .primary, "pg9": .primary]), context: Fixture.context())
        #expect(state.tasks.allSatisfy { $0.resources.allSatisfy { $0.liveRole == nil } })
    }

    @Test func aBulkReservationPutsTheLiveReplicasFirstAndTheLivePrimaryLast() throws {
        var state = Self.state()
        try state.apply(.observeRoles(cluster: "orders", roles: Self.afterSwitchover), context: Fixture.context())
        try state.apply(.reserve(taskID: "A", selection: .ids(["orders-pg1", "orders-pg2", "orders-pg3"]), at: Fixture.at(hours: 30),
                                 stagger: Stagger(spacing: 600), force: false), context: Fixture.context())
        let at = Dictionary(uniqueKeysWithValues: try #require(state.task(id: "A")).resources.compactMap { r in r.scheduledAt.map { (r.id, $0) } })
        #expect(at["orders-pg2"]! > at["orders-pg1"]! && at["orders-pg2"]! > at["orders-pg3"]!, "pg2 leads now: it goes last")
    }

    @Test func theRolesLineGoesBothWays() throws {
        let cluster = try PatroniCluster(json: Data(PatroniAnswerTests.cluster302.utf8))
        #expect(cluster.rolesLine == "PITSTOP_ROLES=pg1=primary,pg2=replica,pg3=replica")
        #expect(PatroniCluster.roles(fromLine: Substring(cluster.rolesLine)) == ["pg1": .primary, "pg2": .replica, "pg3": .replica])
        #expect(PatroniCluster.roles(fromLine: "PITSTOP_ROLES=") == nil)
        #expect(PatroniCluster.roles(fromLine: "PITSTOP_ROLES=a=leader,b") == nil, "not Pitstop's role names")
        #expect(PatroniCluster.roles(fromLine: "roles: pg1=primary") == nil)
    }
}
