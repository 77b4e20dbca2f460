import Foundation
import PitstopCore
import PitstopEngine
import PitstopTestSupport
import Testing

/// The notify hook hands the event to the operator's command on stdin, as JSON; nothing from the event
/// reaches its argv or a shell.
struct NotifyHookTests {
    let dir = ScratchDirectory("pitstop-notify")

    @Test func aHostileMessageArrivesOnStdinAndRunsNothing() throws {
        let planted = dir.file("planted")
        let received = dir.file("received.json")
        let hostile = "db-1 $(touch \(planted)) `touch \(planted)` \"; touch \(planted); \u{1B}[2J"
        let event = Event(time: Date(timeIntervalSince1970: 1_795_608_000), actor: "engine", taskID: "T-1", resourceID: "r1",
                          kind: .notified, message: hostile)
        // The operator's command: its argv is used as configured, and it only copies stdin to a file.
        NotifyHook().send(event, argv: ["/bin/sh", "-c", "cat > \"$0\"", received])
        waitUntil(10) { FileManager.default.contents(atPath: received)?.last == 0x0A }
        let json = try #require(FileManager.default.contents(atPath: received))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["message"] as? String == hostile, "the message arrives byte for byte")
        #expect(object["taskId"] as? String == "T-1" && object["resourceId"] as? String == "r1" && object["kind"] as? String == "notified")
        #expect(!FileManager.default.fileExists(atPath: planted), "nothing in the message was executed")
    }
}

/// Hooks run from a bounded queue, a few at a time, each killed as a process group at its timeout.
@Suite(.serialized)
struct NotifyHookQueueTests {
    let dir = ScratchDirectory("pitstop-notify-queue")
    let event = Event(time: Date(timeIntervalSince1970: 1_795_608_000), actor: "engine", kind: .notified, message: "hello")

    /// Pumps until nothing waits or runs, with the hook's clock moved on by `advance` each round.
    func drain(_ hook: NotifyHook, advance: TimeInterval = 0) {
        var now = Date()
        waitUntil(20, every: 0.01) {
            guard hook.isBusy else { return true }
            now = now.addingTimeInterval(advance)
            hook.pump(now: now)
            return false
        }
    }

    @Test func aHookPastItsTimeoutIsKilledWithItsWholeGroup() throws {
        let pids = dir.file("pids")
        let hook = NotifyHook()
        hook.send(event, argv: ["/bin/sh", "-c", "sleep 300 & echo $! > \"$0\"; echo $$ >> \"$0\"; sleep 300", pids])
        #expect(waitUntil { ((try? String(contentsOfFile: pids, encoding: .utf8)) ?? "").split(separator: "\n").count == 2 })
        drain(hook, advance: NotifyHook.timeout)
        let failures = hook.takeFailures()
        #expect(failures.count == 1 && failures[0].1.contains("did not finish within 10s"))
        let ids = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(waitUntil { ids.allSatisfy { kill($0, 0) != 0 } }, "the hook and its child are gone")
    }

    @Test func theQueueIsBoundedAndAFailingHookIsReported() throws {
        let hook = NotifyHook()
        let count = NotifyHook.parallel + NotifyHook.queueLimit + 3
        // Every hook waits for the gate, so the first few hold their places while the rest queue up.
        let gate = dir.file("gate")
        for _ in 0..<count { hook.send(event, argv: ["/bin/sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.02; done; exit 3", gate]) }
        let dropped = hook.takeFailures()
        FileManager.default.createFile(atPath: gate, contents: nil)
        #expect(dropped.count == 3 && dropped.allSatisfy { $0.1.contains("was dropped") })
        #expect(hook.dropped == 3, "the count /metrics serves as pitstop_notifications_dropped_total")
        drain(hook)
        let failed = hook.takeFailures()
        #expect(failed.count == count - 3 && failed.allSatisfy { $0.1 == "/bin/sh exited with status 3" })
    }
}
