import Foundation
@testable import PitstopCore
import Testing

/// Reading Patroni's answers (3.0.2 as Debian ships it, and the names of 3.0.4+ and 4.x) and choosing the
/// replica a switchover hands the leadership to.
@Suite struct PatroniAnswerTests {
    static let cluster302 = """
        {"members": [
          {"name": "pg1", "role": "master", "state": "running", "api_url": "http://10.0.0.1:8008/patroni", "host": "10.0.0.1", "port": 5432, "timeline": 3},
          {"name": "pg2", "role": "replica", "state": "running", "api_url": "http://10.0.0.2:8008/patroni", "host": "10.0.0.2", "port": 5432, "timeline": 3, "lag": 0, "tags": {"datacenter": "dc2"}},
          {"name": "pg3", "role": "sync_standby", "state": "running", "api_url": "http://10.0.0.3:8008/patroni", "host": "10.0.0.3", "port": 5433, "timeline": 3, "lag": 2048, "tags": {"nofailover": true}}
        ], "pause": true}
        """
    static let cluster4 = """
        {"members": [
          {"name": "a", "role": "leader", "state": "running", "api_url": "http://h1:8008/patroni", "host": "h1", "port": 5432},
          {"name": "b", "role": "replica", "state": "streaming", "api_url": "http://h2:8008/patroni", "host": "h2", "port": 5432, "lag": 10},
          {"name": "c", "role": "replica", "state": "stopped", "api_url": "http://h3:8008/patroni", "host": "h3", "port": 5432, "lag": "unknown"}
        ]}
        """

    func status(_ name: String, position: Int64, paused: Bool = false, version: Int = 150018) throws -> PatroniStatus {
        let xlog = paused || name != "leader" ? "\"replayed_location\": \(position), \"paused\": \(paused)" : "\"location\": \(position)"
        return try PatroniStatus(json: Data("""
            {"state": "running", "role": "replica", "server_version": \(version), "xlog": {\(xlog)}, "patroni": {"scope": "s"}, "postmaster_start_time": "x"}
            """.utf8))
    }

    @Test func bothVersionsNamesGiveTheSameRolesAndStates() throws {
        let old = try PatroniCluster(json: Data(Self.cluster302.utf8))
        #expect(old.leader?.name == "pg1" && old.paused)
        #expect(old.members.map(\.resourceRole) == [.primary, .replica, .replica])
        #expect(old.member("pg2")?.apiURL == "http://10.0.0.2:8008" && old.member("pg3")?.endpoint == "10.0.0.3:5433")
        #expect(old.member("pg2")?.tags == ["datacenter": "dc2"] && old.member("pg3")?.noFailover == true)
        let new = try PatroniCluster(json: Data(Self.cluster4.utf8))
        #expect(new.leader?.name == "a" && !new.paused)
        #expect(new.member("b")?.isRunning == true && new.member("c")?.isRunning == false && new.member("c")?.lagBytes == nil)
    }

    @Test func aMalformedAnswerIsNamed() {
        #expect(throws: PatroniError.malformed("no \"members\" array")) { try PatroniCluster(json: Data("{}".utf8)) }
        #expect(throws: PatroniError.malformed("the answer is not a JSON object")) { try PatroniCluster(json: Data("<html>".utf8)) }
        #expect(throws: PatroniError.malformed("no patroni.scope (is this a Patroni REST API?)")) { try PatroniStatus(json: Data(#"{"state": 1}"#.utf8)) }
    }

    @Test func aStatusGivesItsVersionPositionAndPause() throws {
        let paused = try status("b", position: 77, paused: true, version: 150018)
        #expect(paused.replayPaused && paused.walPosition == 77 && paused.versionText == "15.18")
        #expect(paused.runs("15") && paused.runs("15.18") && !paused.runs("15.1") && !paused.runs("16"))
    }

    @Test func theLeastLaggingQualifyingReplicaIsChosenAndEveryOtherIsToldWhy() throws {
        let cluster = try PatroniCluster(json: Data(Self.cluster302.utf8))
        let choice = SwitchoverChoice(cluster, maxLagBytes: 1 << 20, targetVersion: nil)
        #expect(choice.candidate?.name == "pg2")
        #expect(choice.refused.map(\.name) == ["pg3"] && choice.refused[0].reason == "is tagged nofailover")
    }

    @Test func aReplicaWhoseReplayIsPausedOrBehindIsNeverChosen() throws {
        let cluster = try PatroniCluster(json: Data(Self.cluster4.utf8))
        let statuses = ["a": try status("leader", position: 10_000), "b": try status("b", position: 10_000, paused: true)]
        let choice = SwitchoverChoice(cluster, maxLagBytes: 100, targetVersion: nil, statuses: statuses)
        #expect(choice.candidate == nil)
        #expect(choice.whyNone == "no replica qualifies for a switchover: b has its replay paused (pg_wal_replay_pause); c is stopped, not streaming")
        let behind = SwitchoverChoice(cluster, maxLagBytes: 100, targetVersion: nil,
                                      statuses: ["a": try status("leader", position: 10_000), "b": try status("b", position: 9_000)])
        #expect(behind.candidate == nil && behind.refused[0].reason == "lags 1000 bytes (max_lag_bytes is 100)",
                "Patroni's own lag (10) counts what was received; what was replayed is 1000 behind")
    }

    @Test func anUpgradeOnlyHandsOverToAReplicaOnTheTargetVersion() throws {
        let cluster = try PatroniCluster(json: Data(Self.cluster4.utf8))
        let statuses = ["a": try status("leader", position: 10, version: 150010), "b": try status("b", position: 10, version: 150010)]
        let choice = SwitchoverChoice(cluster, maxLagBytes: 100, targetVersion: "15.18", statuses: statuses)
        #expect(choice.candidate == nil && choice.refused[0].reason == "runs 15.10, not 15.18")
    }
}
