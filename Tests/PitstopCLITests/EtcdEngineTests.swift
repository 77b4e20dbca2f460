import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §18 with real processes: two hosts (their own directories) of one fleet in a real three-member etcd,
/// a `pitstop daemon` on each, and a ledger script standing in for an upgrade. The leader is killed or stopped;
/// the standby must lead within the lease's TTL and a loop, and no reservation may start twice.
@Suite(.serialized)
struct EtcdEngineTests {
    let dir = ScratchDirectory("pitstop-etcd-engines")
    var ledger: String { dir.file("ledger") }

    func host(_ name: String) -> PitstopCommand { PitstopCommand(store: dir.file("host-\(name)")) }

    /// The cluster, both hosts bound to one fleet, and a task of three resources run by the ledger script.
    func prepare() throws -> EtcdFleet {
        let etcd = try EtcdFleet(in: dir.file("etcd"), prefix: "/pitstop/engines")
        let bind = etcd.bind
        for name in ["a", "b"] { #expect(try host(name).run(["store", "init"] + bind).status == 0) }
        let script = dir.file("upgrade.sh")
        try """
            #!/bin/sh
            echo "start $PITSTOP_RESOURCE_ID $PITSTOP_ATTEMPT_ID $$" >> "$1"
            i=1
            while [ $i -le 20 ]; do
              echo "PITSTOP_PROGRESS=$((i * 5))"
              sleep 0.3
              i=$((i + 1))
            done
            echo "end $PITSTOP_RESOURCE_ID $PITSTOP_ATTEMPT_ID $$" >> "$1"
            echo "upgrade finished on $PITSTOP_RESOURCE_NAME"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let file = dir.file("tasks.json")
        try """
            {"tasks": [{"id": "MT-1", "title": "engine upgrade", "service": "MySQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "engine-upgrade", "retries": 2,
              "executor": {"kind": "command", "argv": ["/bin/sh", "\(script)", "\(ledger)"], "timeoutSeconds": 120},
              "resources": [{"id": "db-1", "name": "db one"}, {"id": "db-2", "name": "db two"}, {"id": "db-3", "name": "db three"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try host("a").run(["import", file]).status == 0)
        #expect(try host("a").run(["policy", "set", "minLeadTime", "0"]).status == 0)
        return etcd
    }

    var ledgerLines: [String] {
        lines(ofFile: ledger)
    }

    /// The lines `store info` gives for the leader and this host.
    func leader(_ name: String) throws -> String {
        let info = try host(name).run(["store", "info"]).stdout
        return info.split(separator: "\n").first { $0.hasPrefix("this host") }.map(String.init) ?? info
    }

    func status(_ resource: String) throws -> String { try host("b").resources(of: "MT-1")[resource]?["status"] as? String ?? "?" }

    /// Each reservation started at most once: no resource has two starts in the ledger.
    func expectOneStartEach() {
        let starts = ledgerLines.filter { $0.hasPrefix("start ") }.map { $0.split(separator: " ")[1] }
        #expect(Set(starts).count == starts.count, "a reservation started twice: \(ledgerLines)")
    }

    @Test func aKilledLeaderIsReplacedWithinItsLeaseAndItsAttemptIsOutcomeUnknown() throws {
        let etcd = try prepare()
        defer { etcd.stop() }
        let a = try host("a").startDaemon()
        defer { killDaemon(a) }
        #expect(try waitUntil(20, every: 0.2) { try leader("a").contains("leader (pid \(a.processIdentifier))") }, "a leads")
        let b = try host("b").startDaemon()
        defer { killDaemon(b) }
        #expect(try waitUntil(10, every: 0.2) { try leader("b").contains("standby") })
        #expect(try host("b").run(["reserve", "MT-1", "db-1", "--at", "now"]).status == 0)
        #expect(try waitUntil(20, every: 0.1) { ledgerLines.contains { $0.hasPrefix("start db-1") } }, "a started db-1")

        kill(a.processIdentifier, SIGKILL)
        let killed = Date()
        #expect(try waitUntil(30, every: 0.1) { try leader("b").contains("leader (pid \(b.processIdentifier))") }, "b leads")
        let failover = Date().timeIntervalSince(killed)
        #expect(failover < 10 + 3, "within the TTL (10 s) and a loop")
        // Host a's engine is gone with its lease: its attempt's outcome is unknown, never retried.
        #expect(try waitUntil(20, every: 0.2) { try status("db-1") == "failed" })
        let db1 = try #require(try host("b").resources(of: "MT-1")["db-1"])
        #expect((db1["lastMessage"] as? String ?? "").contains("outcome unknown"), "\(db1)")
        // The new leader starts what comes due.
        #expect(try host("b").run(["reserve", "MT-1", "db-2", "--at", "now"]).status == 0)
        #expect(try waitUntil(30, every: 0.2) { try status("db-2") == "completed" })
        expectOneStartEach()
        #expect(ledgerLines.filter { $0.hasPrefix("start db-1") }.count == 1)
        // Host a's supervisor ran db-1 to its end meanwhile; a's engine, back as a standby, records it.
        #expect(try waitUntil(20, every: 0.2) { ledgerLines.contains { $0.hasPrefix("end db-1") } })
        let back = try host("a").startDaemon()
        defer { killDaemon(back) }
        #expect(try waitUntil(20, every: 0.2) { try status("db-1") == "completed" }, "the true outcome replaces outcome unknown")
        let recovered = try host("b").events(of: "MT-1", "db-1", kind: "outcome-recovered")
        #expect(recovered.count == 1 && (recovered.first?["message"] as? String ?? "").contains("(was outcome unknown)"), "\(recovered)")
        #expect(try host("b").resources(of: "MT-1")["db-1"]?["failures"] as? Int == 0, "the failure it counted is taken back")
        #expect(try leader("a").contains("standby"), "a came back as a standby")
        print(String(format: "etcd failover: the leader killed with SIGKILL, the standby leads %.1f s later (TTL 10 s)", failover))
    }

    @Test func aLeaderStoppedPastItsLeaseWakesAsAStandbyAndStartsNothing() throws {
        let etcd = try prepare()
        defer { etcd.stop() }
        let a = try host("a").startDaemon()
        defer { killDaemon(a) }
        #expect(try waitUntil(20, every: 0.2) { try leader("a").contains("leader (pid \(a.processIdentifier))") })
        let b = try host("b").startDaemon()
        defer { killDaemon(b) }
        #expect(try waitUntil(10, every: 0.2) { try leader("b").contains("standby") })
        kill(a.processIdentifier, SIGSTOP)
        let stopped = Date()
        // Due while a sleeps: b must take over and start it, once.
        #expect(try host("b").run(["reserve", "MT-1", "db-1", "db-2", "--at", "now"]).status == 0)
        #expect(try waitUntil(30, every: 0.1) { try leader("b").contains("leader (pid \(b.processIdentifier))") }, "b leads")
        let failover = Date().timeIntervalSince(stopped)
        #expect(try waitUntil(40, every: 0.2) { try status("db-1") == "completed" && status("db-2") == "completed" })
        kill(a.processIdentifier, SIGCONT)
        // Awake, a finds its lease gone: it leads nothing and starts nothing; b goes on leading.
        #expect(try host("b").run(["reserve", "MT-1", "db-3", "--at", "now"]).status == 0)
        #expect(try waitUntil(30, every: 0.2) { try status("db-3") == "completed" })
        let woken = try leader("a")
        #expect(woken.contains("standby (pid \(a.processIdentifier))"), "\(woken)")
        expectOneStartEach()
        #expect(ledgerLines.filter { $0.hasPrefix("start ") }.count == 3)
        print(String(format: "etcd failover: the leader stopped with SIGSTOP, the standby leads %.1f s later (TTL 10 s)", failover))
    }

    @Test func withoutQuorumNothingStartsTheRunningAttemptGoesOnAndItsOutcomeIsRecordedWhenQuorumReturns() throws {
        let etcd = try prepare()
        defer { etcd.stop() }
        let a = try host("a").startDaemon()
        defer { killDaemon(a) }
        #expect(try waitUntil(20, every: 0.2) { try leader("a").contains("leader") })
        #expect(try host("a").run(["reserve", "MT-1", "db-1", "--at", "now"]).status == 0)
        #expect(try host("a").run(["reserve", "MT-1", "db-2", "--at", "now+8s"]).status == 0)
        #expect(try waitUntil(20, every: 0.1) { ledgerLines.contains { $0.hasPrefix("start db-1") } })
        try etcd.run("kill", "e1")
        try etcd.run("kill", "e2")
        // db-1 ends and db-2 comes due while etcd has no quorum: the daemon waits, starts nothing, stays up.
        #expect(try waitUntil(20, every: 0.2) { ledgerLines.contains { $0.hasPrefix("end db-1") } })
        // Past db-2's time (8 s after it was reserved): it never starts.
        #expect(!waitUntil(8, every: 0.2) { ledgerLines.contains { $0.hasPrefix("start db-2") } }, "nothing starts without quorum")
        #expect(a.isRunning, "the daemon rides it out")
        try etcd.run("revive", "e1")
        #expect(try waitUntil(40, every: 0.2) { try status("db-1") == "completed" }, "the outcome is recorded once quorum returns")
        #expect(try waitUntil(40, every: 0.2) { try status("db-2") == "completed" }, "and work resumes")
        expectOneStartEach()
    }
}
