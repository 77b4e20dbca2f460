import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import Testing

/// The fleet's log in etcd is trimmed behind a snapshot: a host that joins later, and a copy that was left
/// behind the trim, start from the snapshot and end where the writer is.
@Suite(.serialized)
struct EtcdTrimTests {
    let dir = ScratchDirectory("pitstop-etcd-trim")

    @Test func copiesBehindATrimStartFromTheSnapshotAndCatchUp() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        EtcdReplica.register()
        let binding = EtcdBinding(endpoints: cluster.endpoints, prefix: "/pitstop/trim", tls: cluster.tls)
        let replica = EtcdReplica(binding)
        #expect(try replica.createOrJoin(now: Date()))
        func bound(_ name: String) throws -> Store { try boundStore(dir.file(name), binding) }
        let writer = try bound("a"), behind = try bound("b")
        let context = MutationContext(now: Date(), actor: "test", timeZone: TimeZone(identifier: "UTC")!)
        try writer.mutate(.importTasks(Array(DemoFleet(taskCount: 3, resourceCount: 30, seed: 5).build(now: Date()).tasks)), context: context)
        _ = try behind.poll()
        #expect(behind.sequence == 1)
        for n in 0..<40 { try writer.mutate(.setPolicyValue(key: "maxConcurrency", value: "\(2 + n % 5)"), context: context) }
        #expect(try !writer.trimReplica(every: 100, keep: 5), "not yet: fewer changes than asked")
        #expect(try writer.trimReplica(every: 20, keep: 5))
        #expect(try replica.latestSnapshotSequence() == 41)
        let kept = try replica.client.prefix("/pitstop/trim/log/").kvs.count
        #expect(kept == 5, "only the last 5 records stay: \(kept)")
        try writer.mutate(.setPolicyValue(key: "startWindow", value: "45m"), context: context)

        // b was at change 1: record 2 is gone, so it starts from the snapshot (41) and takes 42.
        _ = try behind.poll()
        #expect(behind.sequence == 42 && behind.state.policy.startWindow == 45 * 60)
        // Compared with the writer's copy as its files hold it (times are stored to the millisecond).
        let written = try Store.open(dir.file("a"), options: StoreOptions(readOnly: true))
        #expect(behind.state.tasks == written.state.tasks && behind.state.events.count == written.state.events.count)
        // A host that joins now, from etcd alone.
        let late = try bound("c")
        #expect(late.sequence == 42 && late.state.policy == writer.state.policy)
        // And its files hold it: reopened, without etcd's help for what it has.
        let reopened = try Store.open(dir.file("c"), options: StoreOptions(readOnly: true))
        #expect(reopened.sequence == 42)
    }
}
