import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Who the audit log names, and exports that are safe to open in a spreadsheet.
@Suite(.serialized)
struct TeamUseTests {
    let dir = ScratchDirectory("pitstop-team")
    var cli: PitstopCommand { PitstopCommand(store: dir.file("store")) }

    /// The login name of this process's real uid, as the password database has it.
    var realUser: String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "uid \(getuid())" }
        return String(cString: name)
    }

    func prepare(title: String = "t", name: String = "db one") throws {
        let object: [String: Any] = ["tasks": [[
            "id": "MT-1", "title": title, "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
            "type": "os-update", "resources": [["id": "db-1", "name": name], ["id": "db-2", "name": "@SUM(A1)"]],
        ]]]
        let file = dir.file("tasks.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
        #expect(try cli.run(["import", file]).status == 0)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
    }

    func lastActor() throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(try cli.run(["events", "--json"]).stdout.utf8)) as? [String: Any]
        return ((object?["events"] as? [[String: Any]])?.last?["actor"] as? String) ?? ""
    }

    @Test func theActorIsTheRealUserWhateverLognameSays() throws {
        try prepare()
        let result = try cli.run(["reserve", "MT-1", "db-1", "--at", "now+1h"], environment: ["LOGNAME": "someone-else", "USER": "someone-else", "SUDO_USER": ""])
        #expect(result.status == 0)
        let actor = try lastActor()
        #expect(actor.hasPrefix("\(realUser)@") && actor.hasSuffix(" (cli)") && !actor.contains("someone-else"), "\(actor)")
    }

    @Test(.enabled(if: getuid() == 0, "sudo only means something for root"))
    func aSudoInvocationNamesTheInvokingUserToo() throws {
        try prepare()
        #expect(try cli.run(["reserve", "MT-1", "db-1", "--at", "now+1h"], environment: ["SUDO_USER": "alice"]).status == 0)
        #expect(try lastActor().hasSuffix("(cli, sudo by alice)"))
    }

    @Test func csvCellsThatLookLikeFormulasAreNeutralised() throws {
        try prepare(title: "=HYPERLINK(\"http://x\",\"click\")", name: "+1 db")
        let csv = try cli.run(["export", "--format", "csv"]).stdout
        let rows = csv.split(separator: "\r\n").map(String.init)
        #expect(rows.count == 3)
        #expect(rows[1].hasPrefix("MT-1,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\","), "\(rows[1])")
        #expect(rows[1].contains(",\"'+1 db\",") && rows[2].contains(",\"'@SUM(A1)\","))
        #expect(!rows.joined().contains(",=") && !rows.joined().contains(",+1") && !rows.joined().contains(",@"))
    }

    @Test func aLineBreakInATitleNeverStartsARowThatASpreadsheetReaderSees() throws {
        // "\r\n" is one Character: deciding on Characters left it unquoted, and Python's csv reader saw a new row.
        try prepare(title: "patch\r\n=cmd|' /C calc'!A0", name: "db\r\n@one")
        let csv = dir.file("export.csv")
        try cli.run(["export", "--format", "csv"]).stdout.write(toFile: csv, atomically: true, encoding: .utf8)
        let read = try runProcess("/usr/bin/python3", ["-c", """
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], newline='')))
            print(len(rows))
            print(sum(1 for row in rows for cell in row if cell[:1] in ('=', '+', '-', '@')))
            print(rows[1][1] if len(rows) > 1 else '')
            """, csv])
        let lines = read.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2 && lines[0] == "3" && lines[1] == "0", "rows, formula cells: \(read.stdout)\(read.stderr)")
    }
}
