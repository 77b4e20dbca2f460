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
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && (FileManager.default.contents(atPath: received)?.last != 0x0A) { usleep(20_000) }
        let json = try #require(FileManager.default.contents(atPath: received))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["message"] as? String == hostile, "the message arrives byte for byte")
        #expect(object["taskId"] as? String == "T-1" && object["resourceId"] as? String == "r1" && object["kind"] as? String == "notified")
        #expect(!FileManager.default.fileExists(atPath: planted), "nothing in the message was executed")
    }
}
