import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import Testing

/// SPEC §18 fencing, on a real etcd: a leader's writes carry its lease, and once another engine leads, a late
/// write of the deposed one is refused; writes that are not the leader's (outcomes, an operator's) go through.
@Suite(.serialized)
struct EtcdFencingTests {
    let dir = ScratchDirectory("pitstop-etcd-fencing")

    @Test func aDeposedLeadersLateWriteIsRefusedAndTheNewLeadersGoesThrough() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        EtcdReplica.register()
        let binding = EtcdBinding(endpoints: cluster.endpoints, prefix: "/pitstop/fence", tls: cluster.tls)
        #expect(try EtcdReplica(binding).createOrJoin(now: Date()))
        var stores: [Store] = []
        for name in ["a", "b"] { stores.append(try boundStore(dir.file("host-\(name)"), binding)) }
        let context = MutationContext(now: Date(), actor: "test", timeZone: TimeZone(identifier: "UTC")!)
        let first = EtcdLeadership(replica: try #require(stores[0].replica as? EtcdReplica), identity: "host-a pid 1", ttl: 5)
        let second = EtcdLeadership(replica: try #require(stores[1].replica as? EtcdReplica), identity: "host-b pid 2", ttl: 5)
        try first.start()
        try second.start()
        defer { first.stop(); second.stop() }
        #expect(first.mayLead() && !second.mayLead())
        let deposedFence = try #require(first.fence)
        try stores[0].mutate(.setPolicyValue(key: "maxConcurrency", value: "3"), context: context, fence: deposedFence)

        // a's lease ends (as when its host stops answering); b leads.
        first.stop()
        #expect(try waitUntil(5, every: 0.2) { second.mayLead() })
        do {
            try stores[0].mutate(.setPolicyValue(key: "maxConcurrency", value: "9"), context: context, fence: deposedFence)
            Issue.record("a deposed leader's write was taken")
        } catch StoreError.fenced(_, let reason) {
            #expect(reason.contains("host-b pid 2"), "\(reason)")
        }
        try stores[1].mutate(.setPolicyValue(key: "maxConcurrency", value: "4"), context: context, fence: try #require(second.fence))
        try stores[0].mutate(.setPolicyValue(key: "startWindow", value: "30m"), context: context)
        _ = try stores[0].poll()
        #expect(stores[0].state.policy.maxConcurrency == 4 && stores[0].sequence == stores[1].sequence + 1)
    }
}
