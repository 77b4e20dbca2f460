import Foundation
import PitstopTestSupport
import Synchronization
import Testing

/// SPEC §18: one fleet kept in a real three-member etcd (TLS, client certificates), each host with its own
/// directory as its copy. Hosts are separate store directories driven by the real `pitstop` binary.
@Suite(.serialized)
struct EtcdStoreTests {
    let dir = ScratchDirectory("pitstop-etcd-store")

    /// The cluster, and the `store init` arguments of a trusted client.
    func cluster() throws -> (EtcdFleet, [String: String], [String]) {
        let fleet = try EtcdFleet(in: dir.file("etcd"), prefix: "/pitstop/test")
        return (fleet, fleet.values, fleet.bind)
    }

    func host(_ name: String) -> PitstopCommand { PitstopCommand(store: dir.file("host-\(name)")) }

    /// The demo fleet as an import document.
    func demoDocument(resources: Int = 240) throws -> String {
        let plain = PitstopCommand(store: dir.file("plain-\(resources)"))
        #expect(try plain.run(["demo", "--tasks", "16", "--resources", String(resources)]).status == 0)
        let path = dir.file("fleet-\(resources).json")
        try plain.run(["export"]).stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anImportOnOneHostIsSeenOnAnotherAndOnAHostThatJoinsLater() throws {
        let (etcd, _, bind) = try cluster()
        defer { etcd.stop() }
        let a = host("a"), b = host("b")
        let created = try a.run(["store", "init"] + bind)
        #expect(created.status == 0 && created.stdout.contains("created the fleet /pitstop/test"), "\(created.stderr)")
        let joined = try b.run(["store", "init"] + bind)
        #expect(joined.status == 0 && joined.stdout.contains("joined the fleet /pitstop/test in etcd: 0 task(s)"), "\(joined.stdout)\(joined.stderr)")
        #expect(try a.run(["import", try demoDocument()]).status == 0)
        let onA = try a.run(["export"]).stdout, onB = try b.run(["export"]).stdout
        #expect(onB == onA && onB.contains("MT-0016"), "host b reads what host a wrote")
        // Acknowledged means in etcd: a host that joins now gets it all from etcd alone.
        let c = host("c")
        let late = try c.run(["store", "init"] + bind)
        #expect(late.stdout.contains("joined the fleet /pitstop/test in etcd: 16 task(s)"), "\(late.stdout)\(late.stderr)")
        #expect(try c.run(["export"]).stdout == onA)
        let info = try c.run(["store", "info"]).stdout
        #expect(info.contains("prefix       /pitstop/test") && info.contains("(etcd 3.4.23)"), "\(info)")
        let check = try b.run(["store", "check"])
        // b has only read so far: its files are at change 0, and the import waits in etcd for its next write.
        #expect(check.status == 0 && check.stdout.contains("this host's copy agrees with the fleet at change 0; later changes wait in etcd"), "\(check.stdout)\(check.stderr)")
        #expect(try c.run(["store", "check"]).stdout.contains("this host's copy agrees with the fleet at change 1\n"))

        // A copy changed behind the fleet's back (bound again afterwards) is told apart.
        let binding = dir.file("host-b/replica.json")
        try FileManager.default.moveItem(atPath: binding, toPath: binding + ".aside")
        #expect(try b.run(["policy", "set", "maxConcurrency", "7"]).status == 0)
        try FileManager.default.moveItem(atPath: binding + ".aside", toPath: binding)
        #expect(try a.run(["policy", "set", "maxConcurrency", "3"]).status == 0)
        let differs = try b.run(["store", "check"])
        #expect(differs.status != 0 && differs.stderr.contains("this host's copy differs from the fleet at change 1 (0 tasks here, 16 in the fleet)"), "\(differs.stderr)")
    }

    @Test func anImportOverEtcdsRequestLimitGoesInChunksAndReadsBackWhole() throws {
        let (etcd, _, bind) = try cluster()
        defer { etcd.stop() }
        let a = host("a"), b = host("b")
        #expect(try a.run(["store", "init"] + bind).status == 0 && b.run(["store", "init"] + bind).status == 0)
        // 30,000 resources: one change of several MiB, over etcd's 1.5 MiB request limit.
        let imported = try a.run(["import", try demoDocument(resources: 30_000)])
        #expect(imported.status == 0, "\(imported.stderr)")
        let onA = try a.run(["export"]).stdout, onB = try b.run(["export"]).stdout
        #expect(onA.count > 3 << 20 && onA == onB, "host b reads the whole change")
        #expect(try a.run(["policy", "set", "minLeadTime", "0"]).status == 0, "the log goes on after it")
        #expect(try b.run(["store", "info"]).stdout.contains("change       2"))
    }

    @Test func twoHostsRacingToRetryOneFailedResourceGiveOneWinnerAndOneRefusal() throws {
        let (etcd, _, bind) = try cluster()
        defer { etcd.stop() }
        let a = host("a"), b = host("b")
        #expect(try a.run(["store", "init"] + bind).status == 0 && b.run(["store", "init"] + bind).status == 0)
        #expect(try a.run(["import", try demoDocument()]).status == 0)
        #expect(try b.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        for _ in 0..<3 {
            let results = Mutex<[ProcessResult]>([])
            let target = try failedResource(a)
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let result = try? (index == 0 ? a : b).run(["retry", target.task, target.resource, "--at", "now+2h", "--force"])
                if let result { results.withLock { $0.append(result) } }
            }
            let both = results.withLock { $0 }
            #expect(both.count == 2 && both.filter { $0.status == 0 }.count == 1, "exactly one wins: \(both.map { "\($0.status) \($0.stderr)" })")
            #expect(both.contains { $0.status != 0 && $0.stderr.contains("only failed resources can be retried") }, "\(both.map(\.stderr))")
            #expect(try a.run(["export"]).stdout == b.run(["export"]).stdout, "both hosts see one state")
        }
    }

    /// A resource of the fleet in `status`, read from host `cli`.
    func resource(_ cli: PitstopCommand, _ status: String) throws -> (task: String, resource: String) {
        let object = try JSONSerialization.jsonObject(with: Data(try cli.run(["export"]).stdout.utf8)) as? [String: Any]
        for task in object?["tasks"] as? [[String: Any]] ?? [] {
            for resource in task["resources"] as? [[String: Any]] ?? [] where resource["status"] as? String == status {
                return (task["id"] as? String ?? "", resource["id"] as? String ?? "")
            }
        }
        throw FixtureError(message: "the demo fleet has no \(status) resource left")
    }

    func failedResource(_ cli: PitstopCommand) throws -> (task: String, resource: String) { try resource(cli, "failed") }

    func status(_ cli: PitstopCommand, _ target: (task: String, resource: String)) throws -> String? {
        try cli.resources(of: target.task)[target.resource]?["status"] as? String
    }

    @Test func withoutQuorumAWriteIsRefusedInOneLineAndNothingChangesUntilItIsBack() throws {
        let (etcd, _, bind) = try cluster()
        defer { etcd.stop() }
        let a = host("a")
        #expect(try a.run(["store", "init"] + bind).status == 0)
        #expect(try a.run(["import", try demoDocument()]).status == 0)
        #expect(try a.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        try etcd.run("kill", "e1")
        let target = try failedResource(a)
        #expect(try a.run(["retry", target.task, target.resource, "--at", "now+2h", "--force"]).status == 0, "one member down: work goes on")
        try etcd.run("kill", "e2")
        let pending = try resource(a, "pending")
        let refused = try a.run(["exclude", pending.task, pending.resource])
        #expect(refused.status != 0 && refused.stderr.hasPrefix("error: etcd") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        print("without quorum: \(refused.stderr)")
        // Reading goes on from this host's copy, saying so.
        let read = try a.run(["tasks"])
        #expect(read.status == 0 && read.stdout.contains("MT-0003") && read.stderr.contains("showing this host's copy at change"), "\(read.stderr)")
        let watch = try a.run(["watch", "--once"])
        #expect(watch.stdout.contains("⚠ ETCD UNREACHABLE since "), "\(watch.stdout)")
        try etcd.run("revive", "e2")
        #expect(try status(a, target) == "reserved" && status(a, pending) == "pending", "the retry is there, the refused exclusion is not")
        #expect(try waitUntil(30, every: 0.5) { try a.run(["exclude", pending.task, pending.resource]).status == 0 }, "writes resume with quorum")
        #expect(try status(a, pending) == "excluded")
    }

    @Test func aClientWithoutATrustedCertificateIsRefusedInOneLineAndNothingIsMade() throws {
        let (etcd, values, bind) = try cluster()
        defer { etcd.stop() }
        var stranger = bind
        stranger[stranger.firstIndex(of: "--etcd-cert")! + 1] = values["STRANGER_CERT"]!
        stranger[stranger.firstIndex(of: "--etcd-key")! + 1] = values["STRANGER_KEY"]!
        let refused = try host("x").run(["store", "init"] + stranger)
        #expect(refused.status != 0 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("TLS with https://127.0.0.1:"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("host-x")), "no copy is made without the fleet")
    }
}
