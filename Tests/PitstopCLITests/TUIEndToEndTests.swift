import Foundation
import PitstopTestSupport
import Testing

/// The built binary in a real terminal (tmux): browse, filter, reserve in place, see another process's
/// change without a key press, survive a tiny window, and give the terminal back on quit.
@Suite(.serialized)
struct TUIEndToEndTests {
    let dir = ScratchDirectory("pitstop-e2e")
    var store: String { dir.file("store") }
    var binary: String { BuiltProducts.path("pitstop") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try PitstopCommand(store: store).run(arguments)
    }

    func launch(_ flags: String = "--no-engine", width: Int = 120, height: Int = 36) throws -> TmuxSession {
        #expect(try pitstop("demo", "--tasks", "8", "--resources", "64").status == 0)
        let command = "env TERM=screen-256color LANG=C.UTF-8 TZ=UTC \(binary) --store \(store) \(flags); echo PITSTOP-EXITED $?; sleep 600"
        let session = try TmuxSession(command: command, width: width, height: height)
        try session.waitFor("MT-0008")
        return session
    }

    func jsonResources(_ task: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(try pitstop("task", task, "--json").stdout.utf8)) as? [String: Any]
        return object?["resources"] as? [[String: Any]] ?? []
    }

    @Test func browseFilterReserveInPlaceAndQuit() throws {
        let tmux = try launch()
        try tmux.send("/")
        try tmux.type("MT-0004")
        try tmux.send("Enter")
        let filtered = try tmux.waitFor("/MT-0004")
        // Task rows only: the status line may well name MT-0002, whose demo resources the live engine is starting.
        let rows = filtered.split(separator: "\n").map { String($0.dropFirst()) }
        #expect(rows.contains { $0.hasPrefix("MT-0004 ") } && !rows.contains { $0.hasPrefix("MT-0002 ") }, "\(filtered)")

        try tmux.send("Enter", "e")
        try tmux.waitFor("Reserve 1 resource of MT-0004")
        try tmux.send("n", "Enter")
        try tmux.waitFor("Reserve a DOWNTIME task?")
        try tmux.send("y")
        try tmux.waitFor("saved: 1 reservation of MT-0004")
        let first = try #require(try jsonResources("MT-0004").first)
        #expect(first["status"] as? String == "reserved")

        try tmux.send("q")
        let after = try tmux.waitFor("PITSTOP-EXITED 0")
        #expect(!after.contains("MT-0004"), "the alternate screen is gone: the terminal is restored")
    }

    @Test func yCopiesTheSelectedIdsThroughTmuxWithOSC52() throws {
        let tmux = try launch()
        _ = try tmux.tmux(["set-option", "-s", "set-clipboard", "on"])
        let ids = try jsonResources("MT-0001").compactMap { $0["id"] as? String }
        try tmux.send("Enter")
        try tmux.waitFor("MT-0001 ·")
        try tmux.send("y")
        try tmux.waitFor("copied MT-0001/\(ids[0]) to the clipboard")
        func buffer() -> String { ((try? tmux.tmux(["show-buffer"])) ?? "").trimmingCharacters(in: .newlines) }
        #expect(waitUntil { buffer() == "MT-0001/\(ids[0])" }, "tmux's buffer: \(buffer())")
        try tmux.send("Space", "Space", "y")   // space marks and moves down
        try tmux.waitFor("copied 2 ids")
        #expect(waitUntil { buffer() == "MT-0001/\(ids[0])\nMT-0001/\(ids[1])" }, "tmux's buffer: \(buffer())")
        try tmux.send("Escape", "Escape", "y")
        try tmux.waitFor("copied MT-0001 to the clipboard")
        #expect(waitUntil { buffer() == "MT-0001" }, "tmux's buffer: \(buffer())")
        try tmux.send("q")
        try tmux.waitFor("PITSTOP-EXITED 0")
    }

    @Test func anotherProcessesChangeAppearsWithoutAKeyPress() throws {
        let tmux = try launch()
        try tmux.send("j", "j", "j", "Enter")
        try tmux.waitFor("MT-0004 · PostgreSQL")
        let resources = try jsonResources("MT-0004")
        let id = try #require(resources.first?["id"] as? String)
        #expect(try pitstop("exclude", "MT-0004", id).status == 0)
        try tmux.waitFor("⊘ excluded")
        try tmux.send("q")
        try tmux.waitFor("PITSTOP-EXITED 0")
    }

    @Test func aTinyWindowShowsTooSmallAndRecovers() throws {
        let tmux = try launch()
        try tmux.resize(width: 30, height: 8)
        try tmux.waitFor("Terminal too small")
        try tmux.resize(width: 120, height: 36)
        try tmux.waitFor("MT-0008")
        try tmux.send("?")
        try tmux.waitFor("Keys")
        try tmux.send("Escape", "q")
        try tmux.waitFor("PITSTOP-EXITED 0")
    }

    @Test func aTerminalWithoutAUsableTypeGetsOneErrorLine() throws {
        #expect(try pitstop("demo", "--tasks", "2", "--resources", "4").status == 0)
        for (setting, words) in [("-u TERM", "TERM is not set"), ("TERM=dumb", "\"dumb\" cannot place text"), ("TERM=no-such-term", "is unknown to ncurses")] {
            let session = try TmuxSession(command: "env \(setting) \(binary) --store \(store) --no-engine; echo PITSTOP-EXITED $?; sleep 600", width: 200, height: 10)
            let screen = try session.waitFor("PITSTOP-EXITED")
            #expect(screen.contains("error: ") && screen.contains(words) && screen.contains("pitstop watch --once"), "\(screen)")
            #expect(screen.contains("PITSTOP-EXITED 1"))
        }
    }

    @Test func theEmbeddedEngineRunsAndReadonlyRefusesChanges() throws {
        let tmux = try launch("")
        try tmux.waitFor("engine: on")
        // The demo has reservations due within seconds: the embedded engine starts them.
        try tmux.waitFor(timeout: 30) { $0.contains("▶") && !$0.contains("(0 running)") }
        #expect(try pitstop("daemon", "--once").stderr.contains("another engine already runs"))
        // Quitting asks nothing and leaves the attempts running, saying who records them.
        try tmux.send("q")
        try tmux.waitFor("PITSTOP-EXITED 0")
        #expect(try tmux.screen().contains("keep running under"))

        let viewer = try TmuxSession(command: "env TERM=screen-256color LANG=C.UTF-8 \(binary) --store \(store) --readonly; echo PITSTOP-EXITED $?; sleep 600", width: 100, height: 30)
        try viewer.waitFor("READ-ONLY")
        try viewer.send("Enter", "c")
        try viewer.waitFor("read-only: clear is disabled")
        try viewer.send("q")
        try viewer.waitFor("PITSTOP-EXITED 0")
    }

    /// Every row of a screen with its colours, less the header (its clock) and the notification line, which
    /// say different things in two consoles that show the same fleet. tmux writes "default colour" after a cell
    /// that was drawn and nothing after one never touched; both look the same, so those codes are dropped. Bold
    /// is dropped too: ncurses leaves it out when it believes the terminal still has it on, so two correct
    /// consoles can differ in it; characters, colours and reverse video must match exactly.
    static func comparableRows(_ screen: String, height: Int) -> [String] {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { row -> String in
            var text = String(row).replacingOccurrences(of: "\u{1B}[39m", with: "").replacingOccurrences(of: "\u{1B}[49m", with: "")
                .replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[1;", with: "\u{1B}[")
            while text.hasSuffix(" ") || text.hasSuffix("\u{1B}[0m") { text = String(text.dropLast(text.hasSuffix(" ") ? 1 : 4)) }
            return text
        }
        return rows.enumerated().filter { $0.offset != 0 && $0.offset != height - 2 && $0.offset < height }.map(\.element)
    }

    /// The screen with its colours once it has stopped changing: two captures in a row agree, the clock aside
    /// (`waitUntil` spaces them, so a frame being written is never taken for the last).
    static func settled(_ session: TmuxSession, height: Int) throws -> String {
        var last = ""
        var screen = ""
        let settled = try waitUntil(10, every: 0.15) {
            screen = try session.screenWithColours()
            defer { last = screen }
            return !last.isEmpty && comparableRows(screen, height: height) == comparableRows(last, height: height)
        }
        #expect(settled, "the screen kept changing")
        return screen
    }

    @Test func anOverlayClosedOverWideCharactersLeavesExactlyWhatAFreshDrawShows() throws {
        // The whole demo: its last task's resources have Korean and emoji names under the editor's border.
        #expect(try pitstop("demo").status == 0)
        let command = "env TERM=screen-256color LANG=C.UTF-8 TZ=UTC \(binary) --store \(store) --no-engine; echo PITSTOP-EXITED $?; sleep 600"
        let (width, height) = (120, 40)
        let edited = try TmuxSession(command: command, width: width, height: height)
        try edited.waitFor("MT-0013")
        try edited.send("G")
        try edited.send("Enter")
        try edited.waitFor("STATUS        NAME")
        try edited.send("E")
        try edited.waitFor("Reserve 15 resources of MT-0016")
        try edited.send("Enter")
        try edited.waitFor("saved: 15 reservations of MT-0016")
        let afterOverlay = try Self.settled(edited, height: height)
        #expect(afterOverlay.contains("카트🛒-pg-01-replica1"), "\(afterOverlay)")

        // A second console on the same store, same keys, no overlay: what a fresh draw of that fleet is.
        let fresh = try TmuxSession(command: command, width: width, height: height)
        try fresh.waitFor("MT-0013")
        try fresh.send("G")
        try fresh.send("Enter")
        try fresh.waitFor("◷ reserved    카트🛒-pg-01-replica1")
        let freshScreen = try Self.settled(fresh, height: height)
        let a = Self.comparableRows(afterOverlay, height: height)
        let b = Self.comparableRows(freshScreen, height: height)
        #expect(a.count == b.count)
        for (index, (left, right)) in zip(a, b).enumerated() where left != right {
            Issue.record("row \(index + 1) differs after the overlay closed:\n  after:  \(left)\n  fresh:  \(right)")
        }
        try edited.send("q")
        try fresh.send("q")
        try fresh.waitFor("PITSTOP-EXITED 0")
    }
}
