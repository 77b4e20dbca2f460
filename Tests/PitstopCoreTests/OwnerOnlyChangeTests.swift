import Foundation
@testable import PitstopCore
import Testing

/// Which changes give the engine a program to run, and so are a team store owner's alone.
struct OwnerOnlyChangeTests {
    typealias F = Fixture

    @Test func importingACommandOrHooksRunsPrograms() {
        var command = F.task([F.resource("db-1")])
        command.executor = .command(CommandExecutor(argv: ["/bin/true"], timeoutSeconds: 60))
        var hooked = F.task([F.resource("db-1")])
        hooked.hooks = TaskHooks(precheck: .argv(["/usr/local/bin/lag-check"]))
        let state = F.state([F.task([F.resource("db-9")])])
        #expect(Mutation.importTasks([command]).programsItRuns(comparedTo: state)?.contains("runs a command") == true)
        #expect(Mutation.importTasks([hooked]).programsItRuns(comparedTo: state)?.contains("hook with an argv") == true)
        var named = F.task([F.resource("db-1")])
        named.executor = .command(CommandExecutor(argv: [], runbook: "pg-restart", timeoutSeconds: 60))
        named.hooks = TaskHooks(precheck: .runbook("pg-lag"), healthcheck: .runbook("pg-health"), switchover: .runbook("pg-switch"))
        #expect(Mutation.importTasks([named]).programsItRuns(comparedTo: state) == nil, "runbooks by name are open to members")
        #expect(Mutation.importTasks([F.task([F.resource("db-1")])]).programsItRuns(comparedTo: state) == nil)
    }

    @Test func onlyAChangedNotificationCommandRunsPrograms() {
        var policy = Policy()
        policy.notifyCommand = ["/usr/local/bin/page"]
        let state = F.state([F.task([F.resource("db-9")])], policy: policy)
        var other = policy
        other.maxConcurrency = 3
        #expect(Mutation.setPolicy(other).programsItRuns(comparedTo: state) == nil, "the same command, another value")
        other.notifyCommand = ["/bin/sh", "-c", "id"]
        #expect(Mutation.setPolicy(other).programsItRuns(comparedTo: state) != nil)
        #expect(Mutation.setPolicyValue(key: "notifyCommand", value: "[]").programsItRuns(comparedTo: state) != nil)
        #expect(Mutation.setPolicyValue(key: "maxConcurrency", value: "3").programsItRuns(comparedTo: state) == nil)
        #expect(Mutation.halt(taskID: "MT-1", reason: "x").programsItRuns(comparedTo: state) == nil)
    }
}
