import Foundation
@testable import PitstopCore
import Testing

/// Where a resource's automation goes and what reaches its command (SPEC §29): an endpoint is `host:port` or
/// `[v6]:port` and never an option, a list or a second word; keys that would reach the command as one variable
/// are refused.
struct TargetValidationTests {
    typealias F = Fixture

    @Test(arguments: ["127.0.0.1:5432", "db-7.example.com:3306", "[::1]:5432", "[fd00::7]:5432", "[fe80::1%eth0]:5432", "db_7:65535"])
    func theseAreEndpoints(_ endpoint: String) {
        #expect(Endpoint.isValid(endpoint))
    }

    @Test(arguments: [
        "-oProxyCommand=touch /tmp/x x,127.0.0.1:5432", "127.0.0.1:5432,127.0.0.2:5432", "db 7:5432", "db-7", "db-7:0", "db-7:65536",
        "db-7:05432", ":5432", "[::1]", "[zz::1]:5432", "-db:5432", ".db:5432", "db-7:5432 ", "db\u{0}:5432", "dé:5432", "[::1%]:5432",
        "host=x port=1:5432", "db;id:5432",
    ])
    func theseAreNot(_ endpoint: String) {
        #expect(!Endpoint.isValid(endpoint))
    }

    @Test func importRefusesABadEndpointOrHostAndKeysThatCollide() {
        var task = F.task([Resource(id: "db-1", name: "one", endpoint: "-oProxyCommand=id x,127.0.0.1:5432")])
        #expect(TaskValidation.problems(in: task).contains { $0.contains("has the endpoint \"-oProxyCommand=id x,127.0.0.1:5432\", which is not host:port") })
        task.resources = [Resource(id: "db-1", name: "one", endpoint: "10.0.3.7:5432", host: "-oProxyCommand=id")]
        #expect(TaskValidation.problems(in: task).contains { $0.contains("has the host") })
        task.resources = [Resource(id: "db-1", name: "one", endpoint: "10.0.3.7:5432", labels: ["zone": "a", "ZONE": "b"])]
        #expect(TaskValidation.problems(in: task).contains { $0.contains("PITSTOP_LABEL_ZONE") })
        task.resources = [Resource(id: "db-1", name: "one", endpoint: "10.0.3.7:5432")]
        #expect(TaskValidation.problems(in: task).isEmpty)
        task.parameters = ["setting": "work_mem", "SETTING": "archive_command"]
        #expect(TaskValidation.problems(in: task) == ["parameters \"SETTING\" and \"setting\" would both reach the command as PITSTOP_PARAM_SETTING; keep one"])
        task.parameters = ["max-wal": "1", "max_wal": "2"]
        #expect(TaskValidation.problems(in: task).count == 1)
    }

    @Test func aPatroniAddressIsTheResourcesOwnHost() {
        #expect(PatroniCluster.urlProblem("http://10.0.3.7:8008", endpoint: "10.0.3.7:5432", host: nil) == nil)
        #expect(PatroniCluster.urlProblem("https://db-7:8008/", endpoint: nil, host: "admin@db-7") == nil)
        #expect(PatroniCluster.urlProblem("http://[::1]:8008", endpoint: "[::1]:5432", host: nil) == nil)
        for bad in ["http://169.254.169.254:80", "http://10.0.3.7:8008/latest/meta-data", "http://user@10.0.3.7:8008", "file:///etc/passwd",
                    "http://10.0.3.7:8008?x=1", "gopher://10.0.3.7:8008", "http://10.0.3.7"] {
            #expect(PatroniCluster.urlProblem(bad, endpoint: "10.0.3.7:5432", host: nil) != nil, "\(bad)")
        }
        let task = F.task([Resource(id: "db-1", name: "one", endpoint: "10.0.3.7:5432", labels: ["patroni_url": "http://127.0.0.1:2379"])])
        #expect(TaskValidation.problems(in: task).contains { $0.contains("is on 127.0.0.1, not on the resource's own host (10.0.3.7)") })
    }
}
