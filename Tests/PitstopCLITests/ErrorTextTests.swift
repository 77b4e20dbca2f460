import Foundation
import PitstopTestSupport
import Testing

/// Bad input gets one line a person can act on (SPEC §17, text that informs): the reason and what to do,
/// never a framework's error code, a parser's "missing value" for a negative number, or one reason repeated
/// for every resource it refused.
@Suite(.serialized)
struct ErrorTextTests {
    let dir = ScratchDirectory("pitstop-error-text")
    var store: String { dir.file("store") }

    func pitstop(_ arguments: [String], store: String? = nil) throws -> ProcessResult {
        try PitstopCommand(store: store ?? self.store).run(arguments)
    }

    @Test func aStoreUnderAFileSaysWhichPartIsAFile() throws {
        let file = dir.file("afile")
        FileManager.default.createFile(atPath: file, contents: Data())
        let result = try pitstop(["demo"], store: file + "/sub")
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(file) is a file, not a directory") && !result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }

    @Test func importingADirectorySaysSo() throws {
        #expect(try pitstop(["demo", "--tasks", "2", "--resources", "4"]).status == 0)
        let directory = try pitstop(["import", dir.path])
        #expect(directory.stderr.contains("it is a directory; name a JSON or CSV file"), "\(directory.stderr)")
        let missing = try pitstop(["import", dir.file("nothing.json")])
        #expect(missing.stderr.contains("No such file or directory"), "\(missing.stderr)")
    }

    @Test func negativeNumbersAreRefusedForWhatTheyAreNotAsMissing() throws {
        #expect(try pitstop(["demo", "--tasks", "2", "--resources", "4"]).status == 0)
        let stagger = try pitstop(["reserve", "MT-0001", "--all-pending", "--at", "now+2h", "--stagger", "-5"])
        #expect(stagger.stderr.contains("--stagger must be above 0 minutes") && !stagger.stderr.contains("Missing value"), "\(stagger.stderr)")
        let last = try pitstop(["events", "--last", "-1"])
        #expect(last.stderr.contains("--last must be 0 or more") && !last.stderr.contains("Missing value"), "\(last.stderr)")
        let help = try pitstop(["reserve", "--help"])
        #expect(help.stdout.contains("<resource-id>") && !help.stdout.contains("resource-i-ds"))
    }

    @Test func manyResourcesRefusedForOneReasonReadAsOneReason() throws {
        #expect(try pitstop(["demo"]).status == 0)
        let result = try pitstop(["reserve", "MT-0004", "--all-pending", "--at", "2026-01-01 02:00"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("15 resources (") && result.stderr.contains("and 12 more): 2026-01-01 02:00"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "is in the past").count == 2, "the reason is said once")
        #expect(!result.stderr.contains("from now"))
    }

    @Test func cancellingAnUnknownResourceSaysOnlyThat() throws {
        #expect(try pitstop(["demo", "--tasks", "2", "--resources", "4"]).status == 0)
        let result = try pitstop(["cancel", "MT-0001", "nosuch"])
        #expect(result.stderr.contains("no resource nosuch in task MT-0001"))
        #expect(!result.stderr.contains("no engine runs"), "\(result.stderr)")
    }

    @Test func aStoreThatCannotBeWrittenPointsToReadonly() throws {
        #expect(try pitstop(["demo", "--tasks", "2", "--resources", "4"]).status == 0)
        _ = chmod(store, 0o755)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? [] { _ = chmod(store + "/" + file, 0o644) }
        _ = chmod(dir.path, 0o755)
        // The build may sit in a folder only root can enter (a checkout in a private temporary directory): the
        // other user runs a copy from the scratch directory, which it can reach.
        let binary = dir.file("pitstop-for-nobody")
        try? FileManager.default.removeItem(atPath: binary)
        try FileManager.default.copyItem(atPath: BuiltProducts.path("pitstop"), toPath: binary)
        _ = chmod(binary, 0o755)
        let result = try runToExit("/usr/sbin/runuser", ["-u", "nobody", "--", binary, "--store", store, "clear", "MT-0001", "x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("To look without changing anything, add --readonly"), "\(result.stderr)")
    }

    @Test func anEngineWithoutItsSupervisorStopsAtStartInOneLineNamingThePath() throws {
        #expect(try pitstop(["store", "init"]).status == 0)
        let missing = try PitstopCommand(store: store, environment: ["PITSTOP_SUPERVISOR": "/nonexistent/pitstop-supervisor"]).run(["daemon", "--once"])
        #expect(missing.status != 0, "\(missing.stderr)")
        let errors = missing.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors == ["error: the engine cannot run attempts: pitstop-supervisor is not at /nonexistent/pitstop-supervisor ($PITSTOP_SUPERVISOR); fix or unset PITSTOP_SUPERVISOR"], "\(missing.stderr)")
    }

    @Test func pitstopCopiedWithoutItsSupervisorNamesEveryPlaceItLooked() throws {
        #expect(try pitstop(["store", "init"]).status == 0)
        let bin = dir.file("usr/bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: BuiltProducts.path("pitstop"), toPath: bin + "/pitstop")
        let alone = try runProcess(bin + "/pitstop", ["--store", store, "daemon", "--once"], environment: ["TZ": "UTC"])
        #expect(alone.status != 0, "\(alone.stderr)")
        let errors = alone.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        let root = dir.file("usr")
        #expect(errors == ["error: the engine cannot run attempts: pitstop-supervisor is not at \(root)/bin/pitstop-supervisor or \(root)/libexec/pitstop/pitstop-supervisor; run `make install` (or install the pitstop package), or set PITSTOP_SUPERVISOR"], "\(alone.stderr)")
        // Installed in libexec, as make install and the package put it, it is found there.
        try FileManager.default.createDirectory(atPath: root + "/libexec/pitstop", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: BuiltProducts.path("pitstop-supervisor"), toPath: root + "/libexec/pitstop/pitstop-supervisor")
        let found = try runProcess(bin + "/pitstop", ["--store", store, "daemon", "--once"], environment: ["TZ": "UTC"])
        #expect(found.status == 0, "\(found.stderr)")
    }
}
