import Foundation
import PitstopTestSupport
import Testing

/// The security pass: names that try to drive the terminal, ids that cannot be typed, oversized imports,
/// symbolic links in and to the store, and the permissions of everything the product creates.
@Suite(.serialized)
struct HostileInputTests {
    let dir = ScratchDirectory("pitstop-hostile")
    var store: String { dir.file("store") }

    /// Colours, a window-title change, a bell, a carriage return and a newline, a right-to-left override, and 10 KB.
    static let hostileName = "\u{1B}[31mRED\u{1B}[0m \u{1B}]0;pwned\u{07} \u{202E}evil\u{202C} \r\nline2 \u{9B}2J" + String(repeating: "x", count: 10_240)
    static let hostileTitle = "title \u{1B}]0;pwned\u{07}\u{1B}[2J"

    func pitstop(_ arguments: [String], store: String? = nil) throws -> ProcessResult {
        try PitstopCommand(store: store ?? self.store).run(arguments)
    }

    func importHostile() throws {
        let task: [String: Any] = [
            "id": "H-1", "title": Self.hostileTitle, "service": "MySQL", "type": "os-update", "requirement": "recommended",
            "recommendedAt": "2026-12-01T00:00:00Z", "resources": [["id": "r1", "name": Self.hostileName], ["id": "r2", "name": "plain"]],
        ]
        let file = dir.file("hostile.json")
        try JSONSerialization.data(withJSONObject: ["tasks": [task]]).write(to: URL(fileURLWithPath: file))
        #expect(try pitstop(["import", file]).status == 0)
    }

    static func terminalHazards(_ text: String) -> [String] {
        text.unicodeScalars.filter { s in
            (s.value < 0x20 && s != "\n") || s.value == 0x7F || (0x80..<0xA0).contains(s.value) || (0x202A...0x202E).contains(s.value)
        }.map { "U+" + String(format: "%04X", $0.value) }
    }

    @Test func hostileNamesReachNoTerminalAndStayIntactInTheStore() throws {
        try importHostile()
        let outputs = [
            try pitstop(["tasks"]), try pitstop(["task", "H-1"]), try pitstop(["events"]), try pitstop(["watch", "--once"]),
            try pitstop(["reserve", "H-1", "r1", "--at", "now+2d"]), try pitstop(["reserve", "H-1", "r1", "--at", "now+3d"]),
            try pitstop(["clear", "H-1", "r1"]), try pitstop(["policy", "show"]),
        ]
        for result in outputs {
            #expect(Self.terminalHazards(result.stdout).isEmpty, "stdout: \(result.stdout.prefix(300))")
            #expect(Self.terminalHazards(result.stderr).isEmpty, "stderr: \(result.stderr.prefix(300))")
        }
        #expect(outputs[0].stdout.contains("title") && outputs[1].stdout.contains("RED"), "the readable part is still shown")
        let exported = try JSONSerialization.jsonObject(with: Data(try pitstop(["export"]).stdout.utf8)) as? [String: Any]
        let task = (exported?["tasks"] as? [[String: Any]])?.first
        let name = ((task?["resources"] as? [[String: Any]])?.first?["name"] as? String)
        #expect(name == Self.hostileName, "the store keeps the name byte for byte")
        #expect(task?["title"] as? String == Self.hostileTitle)
    }

    @Test func theConsoleShowsHostileNamesWithoutObeyingThem() throws {
        try importHostile()
        let width = 100, height = 30
        let session = try TmuxSession(
            command: "exec env TERM=screen-256color LANG=C.UTF-8 TZ=UTC \(BuiltProducts.path("pitstop")) --store \(store)", width: width, height: height)
        try session.waitFor { $0.contains("H-1") }
        try session.send("Tab")
        let screen = try session.waitFor { $0.contains("RED") && $0.contains("plain") }
        let title = try session.tmux(["display-message", "-p", "-t", session.name, "#{pane_title}"])
        #expect(!title.contains("pwned"), "the window title was not changed: \(title)")
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= height + 1, "nothing scrolled or added lines")
        #expect(lines.allSatisfy { $0.count <= width }, "no line runs past the screen")
        #expect(!screen.contains("line2\n"), "the newline inside the name did not break the row")
        try session.send("q")
    }

    @Test func idsThatCannotBeTypedAreRefusedAtImport() throws {
        let file = dir.file("bad-ids.json")
        try #"""
            {"tasks": [{"id": "A\u001b[2J", "title": "t", "service": "MySQL", "type": "os-update", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "resources": [{"id": "r\u202e1", "name": "n"}, {"id": "ok", "name": "a\u0000b"}]}]}
            """#.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try pitstop(["import", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("$.tasks[0].id") && result.stderr.contains("U+001B"), "\(result.stderr)")
        #expect(result.stderr.contains("$.tasks[0].resources[0].id") && result.stderr.contains("U+202E"))
        #expect(result.stderr.contains("$.tasks[0].resources[1].name") && result.stderr.contains("NUL"))
        #expect(Self.terminalHazards(result.stderr).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: store + "/journal"), "nothing was written")
    }

    @Test func anImportOverTheSizeLimitIsRefusedBeforeItIsRead() throws {
        let file = dir.file("huge.json")
        FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: 257 << 20)  // sparse: no disk used
        try handle.close()
        let started = Date()
        let result = try pitstop(["import", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("limited to 256 MB"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30, "refused from its size, without reading it")
    }

    /// A source whose size says nothing (a device, a pipe) is read only up to the limit.
    @Test func anEndlessImportIsCutAtTheLimit() throws {
        let result = try pitstop(["import", "/dev/zero"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("limited to"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "/journal"), "nothing was written")
    }

    @Test func aSymlinkedStorePathIsFollowedAndItsFilesStayInTheTarget() throws {
        let real = dir.file("real-store")
        let link = dir.file("link-to-store")
        #expect(try pitstop(["demo", "--tasks", "3", "--resources", "6", "--force"], store: real).status == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(try pitstop(["policy", "set", "maxConcurrency", "3"], store: link).status == 0)
        let policy = try pitstop(["policy", "show"], store: real).stdout
        #expect(policy.split(separator: "\n").contains { $0.hasPrefix("maxConcurrency") && $0.hasSuffix(" 3") }, "\(policy)")
        let beside = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(beside == ["link-to-store", "real-store"], "no lock or temp file outside the store: \(beside)")
        #expect(FileManager.default.fileExists(atPath: real + "/lock"))
    }

    @Test func aLinkPlantedAmongTheStoreFilesIsNeverWrittenThrough() throws {
        #expect(try pitstop(["demo", "--tasks", "3", "--resources", "6", "--force"]).status == 0)
        let victim = dir.file("victim")
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        // A temp name pointing elsewhere: compaction replaces the link, it does not write through it.
        try FileManager.default.createSymbolicLink(atPath: store + "/snapshot.tmp", withDestinationPath: victim)
        let compacted = try pitstop(["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        // A store file that is itself a link is refused, with a reason.
        try FileManager.default.moveItem(atPath: store + "/journal", toPath: dir.file("journal-elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: store + "/journal", withDestinationPath: dir.file("journal-elsewhere"))
        let refused = try pitstop(["reserve", "MT-0001", "--all-pending", "--at", "now+2d"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("symbolic link"), "\(refused.stderr)")
    }

    @Test func aLinkedAttemptsDirectoryIsNeverWrittenThrough() throws {
        #expect(try pitstop(["store", "init"]).status == 0)
        let elsewhere = dir.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: store + "/outputs", withDestinationPath: elsewhere)
        let file = dir.file("echo.json")
        try """
            {"tasks": [{"id": "E", "title": "t", "service": "MySQL", "type": "os-update", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "retries": 0, "executor": {"kind": "command", "argv": ["/bin/echo", "hello"], "timeoutSeconds": 10},
              "resources": [{"id": "e1", "name": "n"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop(["import", file]).status == 0)
        #expect(try pitstop(["policy", "set", "minLeadTime", "0"]).status == 0)
        #expect(try pitstop(["reserve", "E", "e1", "--at", "now"]).status == 0)
        #expect(try pitstop(["daemon", "--once"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "nothing was written through the link")
        let events = try pitstop(["events"]).stdout
        #expect(events.contains("cannot use a symbolic link (never followed under the store) as \(store)/outputs"), "\(events)")
    }

    @Test func aStaggerTooWideToWriteAsADateIsOneLineNotACrash() throws {
        #expect(try pitstop(["demo", "--tasks", "6", "--resources", "30", "--force"]).status == 0)
        let before = try pitstop(["events", "--json"]).stdout
        for stagger in ["9223372036854775807", "9999999999999", "10081", "1e308"] {
            let result = try pitstop(["reserve", "MT-0004", "--all-pending", "--at", "now+2h", "--stagger", stagger])
            #expect(result.status == 64 && result.stderr.hasPrefix("error: --stagger must be above 0 minutes and at most 10080 (a week)")
                    && result.stderr.split(separator: "\n").count == 1, "\(stagger): \(result.status) \(result.stderr)")
        }
        #expect(try pitstop(["events", "--json"]).stdout == before, "nothing was written")
    }

    @Test func aStoreOthersCanWriteIsRefusedForWriting() throws {
        #expect(try pitstop(["demo", "--tasks", "3", "--resources", "6", "--force"]).status == 0)
        chmod(store, 0o777)
        let refused = try pitstop(["policy", "set", "maxConcurrency", "3"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("chmod o-rwx"), "\(refused.stderr)")
        #expect(try pitstop(["tasks"]).status == 0, "reading still works")
        chmod(store, 0o700)
        #expect(try pitstop(["policy", "set", "maxConcurrency", "3"]).status == 0)
    }

    @Test func everythingTheProductCreatesIsPrivate() throws {
        #expect(try pitstop(["demo", "--tasks", "3", "--resources", "6", "--force"]).status == 0)
        let file = dir.file("cmd.json")
        try """
            {"tasks": [{"id": "CMD", "title": "t", "service": "MySQL", "type": "os-update", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "executor": {"kind": "command", "argv": ["/bin/echo", "hello"], "timeoutSeconds": 10},
              "resources": [{"id": "c1", "name": "n"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop(["import", file]).status == 0)
        #expect(try pitstop(["policy", "set", "minLeadTime", "0"]).status == 0)
        #expect(try pitstop(["reserve", "CMD", "c1", "--at", "now"]).status == 0)
        #expect(try pitstop(["daemon", "--once"]).status == 0)
        #expect(try pitstop(["store", "compact"]).status == 0)
        let walker = FileManager.default.enumerator(atPath: store)!
        var seen = 0
        while let relative = walker.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: store + "/" + relative)
            let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode == (isDirectory ? 0o700 : 0o600), "\(relative) is \(String(mode, radix: 8))")
            seen += 1
        }
        #expect(seen >= 7, "store, backups, locks, outputs and a log were checked (\(seen))")
        let root = (try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int ?? 0) & 0o777
        #expect(root == 0o700)
    }

    @Test func anAttemptsOutputReachesATerminalWithoutItsControlSequences() throws {
        let file = dir.file("noisy.json")
        try """
            {"tasks": [{"id": "OUT", "title": "t", "service": "MySQL", "type": "os-update", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "retries": 0,
              "executor": {"kind": "command", "argv": ["/usr/bin/printf", "title\\\\033]0;pwned\\\\007 clear\\\\033[2J\\\\ttab\\\\nline two\\\\n"], "timeoutSeconds": 10},
              "resources": [{"id": "o1", "name": "n"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop(["import", file]).status == 0)
        #expect(try pitstop(["policy", "set", "minLeadTime", "0"]).status == 0)
        #expect(try pitstop(["reserve", "OUT", "o1", "--at", "now"]).status == 0)
        #expect(try pitstop(["daemon", "--once"]).status == 0)
        // In a file or a pipe: the bytes as written. On a terminal (script gives it one): shown, not obeyed.
        let piped = try pitstop(["output", "OUT", "o1"])
        #expect(piped.stdout.contains("\u{1B}]0;pwned\u{07}"), "\(piped.stdout.debugDescription)")
        let command = "\(PitstopCommand.binary) --store \(store) output OUT o1"
        let onTerminal = try runProcess("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.stderr)")
        let shown = onTerminal.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(Self.terminalHazards(shown.replacingOccurrences(of: "\t", with: "")).isEmpty, "\(shown.debugDescription)")
        #expect(shown.contains("title\u{FFFD}]0;pwned\u{FFFD} clear\u{FFFD}[2J\ttab\nline two\n"), "\(shown.debugDescription)")
        let raw = try runProcess("/usr/bin/script", ["-q", "-e", "-c", command + " --raw", "/dev/null"])
        #expect(raw.stdout.contains("\u{1B}]0;pwned"), "--raw gives the bytes")
    }
}
