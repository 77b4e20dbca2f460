import Foundation
import PitstopEngine
import PitstopTestSupport
import Synchronization
import Testing

/// etcd's v3 API through its JSON gateway, over TLS with client certificates, on a real three-member cluster
/// from Debian's `etcd-server` (SPEC §18): the operations the replicated store and the engines' leases build on.
@Suite(.serialized)
struct EtcdClientTests {
    let dir = ScratchDirectory("pitstop-etcd")

    @Test func aTransactionComparingARevisionLetsExactlyOneOfTwoWritersWin() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        let etcd = cluster.client()
        let first = try etcd.put("/t/head", Data("0".utf8))
        let (kvs, _, _) = try etcd.range("/t/head")
        #expect(kvs.first?.value == Data("0".utf8) && kvs.first?.modRevision == first)
        // Both validated at `first`; the second finds the head moved and reads it back instead.
        let a = try etcd.txn([.modRevision("/t/head", is: first)], success: [.put(key: "/t/head", value: Data("a".utf8))], failure: [.get(key: "/t/head")])
        let b = try etcd.txn([.modRevision("/t/head", is: first)], success: [.put(key: "/t/head", value: Data("b".utf8))], failure: [.get(key: "/t/head")])
        #expect(a.succeeded && !b.succeeded)
        #expect(b.read.first?.value == Data("a".utf8) && b.read.first?.modRevision == a.revision)
        // A key that must not exist yet: created once.
        let created = try etcd.txn([.createRevision("/t/new", is: 0)], success: [.put(key: "/t/new", value: Data())])
        let again = try etcd.txn([.createRevision("/t/new", is: 0)], success: [.put(key: "/t/new", value: Data())])
        #expect(created.succeeded && !again.succeeded)
    }

    @Test func aPrefixIsReadWholeInPagesAtOneRevision() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        let etcd = cluster.client()
        for index in 0..<23 { try etcd.put(String(format: "/p/log/%04d", index), Data(repeating: UInt8(index), count: 10)) }
        try etcd.put("/q/other", Data("x".utf8))
        let (kvs, revision) = try etcd.prefix("/p/", page: 5)
        #expect(kvs.map(\.key) == (0..<23).map { String(format: "/p/log/%04d", $0) })
        #expect(revision >= kvs.map(\.modRevision).max()!)
        #expect(EtcdClient.prefixEnd("/p/") == "/p0")
    }

    @Test func aLeaseKeepsItsKeysWhileRenewedAndTakesThemWhenRevoked() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        let etcd = cluster.client()
        let lease = try etcd.grantLease(ttl: 5)
        #expect(lease.ttl == 5)
        try etcd.put("/l/leader", Data("host-a".utf8), lease: lease.id)
        #expect(try etcd.keepAlive(lease.id) == 5)
        #expect(try etcd.range("/l/leader").kvs.first?.lease == lease.id)
        try etcd.revoke(lease.id)
        #expect(try etcd.range("/l/leader").kvs.isEmpty, "the key went with its lease")
        do {
            _ = try etcd.keepAlive(lease.id)
            Issue.record("a revoked lease was renewed")
        } catch {
            #expect(error.isLeaseGone, "\(error)")
        }
    }

    @Test func aWatchFromARevisionSeesEveryLaterChangeUnderItsPrefix() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        let etcd = cluster.client()
        let start = try etcd.put("/w/a", Data("1".utf8))
        let seen = Mutex<[String]>([])
        let watcher = Thread {
            try? etcd.watch(prefix: "/w/", from: start + 1) { events, _ in
                seen.withLock { $0 += events.map { "\($0.deleted ? "-" : "+")\($0.keyValue.key)=\(String(decoding: $0.keyValue.value, as: UTF8.self))" } }
                return seen.withLock { $0.count } < 3
            }
        }
        watcher.start()
        try etcd.put("/w/b", Data("2".utf8))
        try etcd.put("/elsewhere", Data("3".utf8))
        _ = try etcd.txn([], success: [.delete(key: "/w/a"), .put(key: "/w/c", value: Data("4".utf8))])
        #expect(try waitUntil(10, every: 0.05) { seen.withLock { $0.count } >= 3 })
        #expect(seen.withLock { $0 } == ["+/w/b=2", "-/w/a=", "+/w/c=4"])
    }

    @Test func aClientWithAnotherCAsCertificateIsRefusedInOneLine() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        for tls in [cluster.stranger, TLSFiles(caFile: cluster.tls.caFile)] {
            do {
                _ = try EtcdClient(endpoints: [cluster.endpoints[0]], tls: tls).put("/x", Data())
                Issue.record("etcd took a write from a client it does not trust")
            } catch {
                let text = error.description
                #expect(text.hasPrefix("etcd unreachable: TLS with https://127.0.0.1:") && !text.contains("\n"), "\(text)")
            }
        }
        // And a server certificate this client does not trust.
        do {
            _ = try EtcdClient(endpoints: [cluster.endpoints[0]], tls: TLSFiles(caFile: cluster.stranger.certFile, certFile: cluster.tls.certFile, keyFile: cluster.tls.keyFile)).put("/x", Data())
            Issue.record("a server certificate from an unknown CA was trusted")
        } catch {
            #expect(error.description.contains("TLS with"), "\(error)")
        }
    }

    @Test func oneMemberDownChangesNothingAndTwoDownRefuseWritesUntilOneIsBack() throws {
        let cluster = try EtcdCluster(in: dir.file("etcd"))
        defer { cluster.stop() }
        let etcd = cluster.client(timeout: 3)
        try cluster.kill("e1")
        try etcd.put("/q/one-down", Data("ok".utf8))
        #expect(try etcd.range("/q/one-down").kvs.count == 1)
        try cluster.kill("e2")
        do {
            try etcd.put("/q/two-down", Data())
            Issue.record("a write was acknowledged without quorum")
        } catch {
            #expect(error.description.contains("no quorum") || error.description.hasPrefix("etcd unreachable"), "\(error)")
            print("etcd without quorum: \(error)")
        }
        try cluster.revive("e2")
        #expect(try waitUntil(20, every: 0.2) { (try? etcd.put("/q/back", Data("ok".utf8))) != nil })
    }
}
