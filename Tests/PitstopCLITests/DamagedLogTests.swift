import Foundation
import PitstopTestSupport
import Testing

/// A sealed event record damaged on disk (SPEC §21): the store still opens and the commands that do not
/// read it work; the command that reads it fails naming the file and the offset; a daemon checks every record
/// as it starts and logs the damage; `store check` finds it.
@Suite(.serialized)
struct DamagedLogTests {
    let dir = ScratchDirectory("pitstop-damaged-log")
    var store: String { dir.file("store") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try PitstopCommand(store: store).run(arguments)
    }

    /// A store of two tasks whose log (the import's events and a few exclusions) is sealed in its event file,
    /// with one bit of that file's only record flipped; returns the file's path.
    func damagedStore() throws -> String {
        let file = dir.file("import.json")
        try CLITests.importFile.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file).status == 0)
        for _ in 0..<3 {
            #expect(try pitstop("exclude", "MT-0001", "db-2").status == 0)
            #expect(try pitstop("include", "MT-0001", "db-2").status == 0)
        }
        #expect(try pitstop("store", "compact").status == 0)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: store).first { $0.hasPrefix("events-") })
        let path = store + "/" + name
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        bytes[bytes.count - 20] ^= 0x01
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    @Test func theStoreOpensTheReadingCommandFailsTheDaemonAndCheckSayWhere() throws {
        let path = try damagedStore()
        let tasks = try pitstop("tasks")
        #expect(tasks.status == 0 && tasks.stdout.contains("MT-0002"), "\(tasks.stderr)")

        let events = try pitstop("events")
        #expect(events.status == 1)
        #expect(events.stderr.contains("error: the event log is damaged: \(path) is damaged at byte 36: record checksum mismatch"), "\(events.stderr)")
        #expect(events.stdout.contains("unreadable") && events.stdout.contains("could not be read"), "\(events.stdout)")

        let daemon = try pitstop("daemon", "--once")
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("pitstop daemon: ERROR: the event log is damaged: \(path) is damaged at byte 36"), "\(daemon.stderr)")

        let check = try pitstop("store", "check")
        #expect(check.status == 1 && check.stdout.contains(path), "\(check.stdout)")
    }
}
