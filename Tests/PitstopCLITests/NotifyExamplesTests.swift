import Foundation
import PitstopTestSupport
import Testing

/// SPEC §19: the notification examples (`examples/notify/`), fed an event as the engine sends it (taken from a
/// demo store's log), against a local HTTP receiver and a `sendmail` stand-in the test starts; a receiver that
/// hangs is cut at the timeout.
@Suite(.serialized)
struct NotifyExamplesTests {
    let dir = ScratchDirectory("pitstop-notify-examples")
    static let examples = ServerScript.repository.appendingPathComponent("examples/notify").path

    /// One event of a demo store's log, as JSON the engine would send.
    func event() throws -> String {
        let cli = PitstopCommand(store: dir.file("store"))
        #expect(try cli.run(["demo"]).status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(try cli.run(["events", "--json"]).stdout.utf8)) as? [String: Any]
        let failed = try #require((object?["events"] as? [[String: Any]])?.last { $0["kind"] as? String == "failed" })
        return String(decoding: try JSONSerialization.data(withJSONObject: failed), as: UTF8.self)
    }

    /// A receiver on a free loopback port: records each POST body in `bodies` and answers 200, or, when
    /// `hang`, accepts and never answers. Returns its process and URL.
    func receiver(hang: Bool) throws -> (Process, String) {
        let portFile = dir.file("port-\(hang)")
        let program = """
            import http.server, socket, sys, threading
            hang = sys.argv[3] == "hang"
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    if hang:
                        threading.Event().wait()  # never answers; the test kills the receiver
                    with open(sys.argv[2], "ab") as f:
                        f.write(self.path.encode() + b" " + body + b"\\n")
                    self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
                def log_message(self, *args): pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            open(sys.argv[1], "w").write(str(server.server_address[1]))
            server.serve_forever()
            """
        let process = try startInBackground("/usr/bin/python3", ["-c", program, portFile, dir.file("bodies"), hang ? "hang" : "answer"])
        guard try waitUntil(10, every: 0.05, { ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").count > 1 }) else {
            throw FixtureError(message: "the receiver did not start")
        }
        return (process, "http://127.0.0.1:\(try String(contentsOfFile: portFile, encoding: .utf8))/hooks/T0KEN-SECRET")
    }

    @Test func theWebhookExamplePostsTheEventAndNeverPrintsItsURL() throws {
        let event = try event()
        let (server, url) = try receiver(hang: false)
        defer { killDaemon(server) }
        let posted = try runProcess(Self.examples + "/slack-webhook", [], environment: ["PITSTOP_WEBHOOK_URL": url], input: event)
        #expect(posted.status == 0, "\(posted.stderr)")
        let body = try String(contentsOfFile: dir.file("bodies"), encoding: .utf8)
        #expect(body.hasPrefix("/hooks/T0KEN-SECRET {\"text\": \"*Pitstop failed* MT-"), "\(body)")
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(body.split(separator: " ", maxSplits: 1)[1].utf8)) as? [String: String])
        let message = try #require((try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])?["message"] as? String)
        #expect(sent["text"]?.hasSuffix(message) == true)

        let missing = try runProcess(Self.examples + "/slack-webhook", [], environment: ["PITSTOP_WEBHOOK_URL": ""], input: event)
        #expect(missing.status == 2 && missing.stderr.contains("PITSTOP_WEBHOOK_URL is not set"))
    }

    @Test func aHungWebhookIsCutAtTheTimeoutAndTheURLStaysSecret() throws {
        let event = try event()
        let (server, url) = try receiver(hang: true)
        defer { killDaemon(server) }
        let began = Date()
        let hung = try runProcess(Self.examples + "/slack-webhook", [], environment: ["PITSTOP_WEBHOOK_URL": url, "PITSTOP_WEBHOOK_TIMEOUT_SECONDS": "2"], input: event)
        let took = Date().timeIntervalSince(began)
        #expect(hung.status == 1 && hung.stderr == "slack-webhook: the webhook did not answer within 2s\n", "\(hung.stderr)")
        #expect(took < 8, "cut at the timeout: \(took) s")
        #expect(!hung.stderr.contains("T0KEN") && !hung.stdout.contains("T0KEN"))
    }

    @Test func theMailExampleHandsSendmailOneMessageWithSafeHeaders() throws {
        var event = try event()
        // A message with a line break must not become a header of its own.
        event = event.replacingOccurrences(of: "\"kind\":\"failed\"", with: "\"kind\":\"failed\\nBcc: everyone@example.com\"")
        let recorded = dir.file("sendmail-input")
        let sendmail = dir.file("sendmail")
        try "#!/bin/sh\necho \"args: $*\" > \(recorded)\ncat >> \(recorded)\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        _ = try runProcess("/bin/chmod", ["+x", sendmail])
        let mailed = try runProcess(Self.examples + "/mail", [], environment: ["PITSTOP_MAIL_TO": "dba@example.com", "PITSTOP_SENDMAIL": sendmail, "PITSTOP_MAIL_FROM": "pitstop@bastion"], input: event)
        #expect(mailed.status == 0, "\(mailed.stderr)")
        let text = try String(contentsOfFile: recorded, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "args: -t -i")
        #expect(lines.contains("To: dba@example.com") && lines.contains("From: pitstop@bastion"))
        #expect(lines.contains { $0.hasPrefix("Subject: [pitstop] failed Bcc: everyone@example.com MT-") }, "\(text)")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") }, "no header from the event's text")

        try "#!/bin/sh\nsleep 30\n".write(toFile: sendmail, atomically: false, encoding: .utf8)
        let began = Date()
        let hung = try runProcess(Self.examples + "/mail", [], environment: ["PITSTOP_MAIL_TO": "dba@example.com", "PITSTOP_SENDMAIL": sendmail, "PITSTOP_MAIL_TIMEOUT_SECONDS": "2"], input: event)
        #expect(hung.status == 1 && hung.stderr.contains("did not finish within 2s") && Date().timeIntervalSince(began) < 8, "\(hung.stderr)")
    }
}
