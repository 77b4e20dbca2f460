import Foundation
@testable import PitstopTUI
import Testing

/// Theme files: every shipped one parses, the default file matches the built-in theme, and a bad file
/// is reported with its file and line while the default is used.
struct ThemeTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes").path

    @Test func everyShippedThemeParses() {
        let names = ThemeParser.available(in: [Self.directory])
        #expect(Set(names).isSuperset(of: ["default", "high-contrast", "monochrome", "light", "colorblind"]))
        for name in names {
            let (theme, error) = ThemeParser.load(name, directories: [Self.directory])
            #expect(error == nil, "\(name): \(String(describing: error))")
            #expect(theme.name == name)
        }
    }

    @Test func theDefaultFileIsTheBuiltInTheme() {
        let (theme, _) = ThemeParser.load("default", directories: [Self.directory])
        #expect(theme.entries == Theme.builtIn.entries)
    }

    @Test func readsColoursOfEveryForm() throws {
        let theme = try ThemeParser.parse("""
            # comment
            failed = bright-red on black bold   # trailing comment
            pending = 245
            reserved = #56b4e9 underline
            text = default
            """, name: "t", file: "t")
        #expect(theme[.failed] == ThemeEntry(.index(9), on: .index(0), bold: true))
        #expect(theme[.pending] == ThemeEntry(.index(245)))
        #expect(theme[.reserved] == ThemeEntry(.rgb(0x56, 0xB4, 0xE9), underline: true))
        #expect(theme[.header] == Theme.builtIn[.header], "unlisted roles keep the default")
    }

    @Test(arguments: [
        ("failed = red\nbogus = blue", 2, "unknown role"),
        ("failed red", 1, "expected `role = colour`"),
        ("\n\npending = purple-ish", 3, "is not a colour"),
        ("pending = red on", 1, "foreground on background"),
        ("pending = 300", 1, "is not a colour"),
    ])
    func badFilesNameTheLine(text: String, line: Int, reason: String) {
        #expect {
            try ThemeParser.parse(text, name: "x", file: "mytheme")
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            return error.file == "mytheme" && error.line == line && error.reason.contains(reason)
        }
    }

    @Test func aBadThemeFallsBackToTheDefaultWithTheError() throws {
        let path = NSTemporaryDirectory() + "pitstop-bad-\(UUID().uuidString).theme"
        try "text = nope".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (theme, error) = ThemeParser.load(path, directories: [])
        #expect(theme == Theme.builtIn)
        #expect(error?.description == "\(path):1: \"nope\" is not a colour (a name, 0-255, #rrggbb or default)")
    }

    @Test(arguments: ["/dev/zero", "/dev/null", "/tmp"])
    func aThemePathThatIsNotARegularFileIsRefusedWithoutReadingIt(path: String) {
        let (theme, error) = ThemeParser.load(path, directories: [])
        #expect(theme == Theme.builtIn)
        #expect(error?.reason == "is not a regular file")
    }

    @Test func anOversizedThemeIsRefusedWithoutParsingIt() throws {
        let path = NSTemporaryDirectory() + "pitstop-huge-\(UUID().uuidString).theme"
        try String(repeating: "# comment\n", count: 40_000).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (theme, error) = ThemeParser.load(path, directories: [])
        #expect(theme == Theme.builtIn)
        #expect(error?.reason.contains("larger than 256 KB") == true)
    }

    @Test func coloursResolveToWhatTheTerminalHas() {
        #expect(Palette.resolve(.index(196), colors: 256) == 196)
        #expect(Palette.resolve(.index(196), colors: 8) == 1, "bright red falls back to red")
        #expect(Palette.resolve(.rgb(0, 0x87, 0xAF), colors: 256) == 31)
        #expect(Palette.resolve(.default, colors: 8) == -1)
    }
}

/// Statuses are told apart by colour as well as by symbol (SPEC §17): in every shipped theme that uses
/// colours, no two statuses share one, and none is so close to another that it reads as the same.
struct StatusColourTests {
    static let statuses: [ColorRole] = [.pending, .reserved, .inProgress, .completed, .failed, .excluded]
    /// The least distance between two statuses' colours (RGB, as a 256-colour terminal shows them).
    static let leastDistance = 60.0

    static func rgb(_ color: ThemeColor) -> (Int, Int, Int)? {
        color == .default ? nil : Palette.rgb(ofIndex: Int(Palette.resolve(color, colors: 256)))
    }

    static func distance(_ a: (Int, Int, Int)?, _ b: (Int, Int, Int)?) -> Double {
        guard let a, let b else { return a == nil && b == nil ? 0 : .infinity }
        let (r, g, bl) = (Double(a.0 - b.0), Double(a.1 - b.1), Double(a.2 - b.2))
        return (r * r + g * g + bl * bl).squareRoot()
    }

    static var themes: [Theme] {
        [Theme.builtIn] + ThemeParser.available(in: [ThemeTests.directory]).map { ThemeParser.load($0, directories: [ThemeTests.directory]).0 }
    }

    @Test func noTwoStatusesShareAColourInAnyTheme() {
        for theme in Self.themes {
            // A theme without colours (monochrome) tells statuses by symbol and word alone, as every theme does.
            guard Self.statuses.contains(where: { theme[$0].foreground != .default }) else { continue }
            for (i, a) in Self.statuses.enumerated() {
                for b in Self.statuses[(i + 1)...] {
                    let apart = max(Self.distance(Self.rgb(theme[a].foreground), Self.rgb(theme[b].foreground)),
                                    Self.distance(Self.rgb(theme[a].background), Self.rgb(theme[b].background)))
                    #expect(apart >= Self.leastDistance, "\(theme.name): \(a.rawValue) and \(b.rawValue) are \(Int(apart)) apart")
                }
            }
        }
    }

    @Test func theDefaultThemesGreensAreToldApart() {
        let greens = [ColorRole.reserved, .inProgress, .completed].map { Self.rgb(Theme.builtIn[$0].foreground) }
        for (i, a) in greens.enumerated() {
            for b in greens[(i + 1)...] { #expect(Self.distance(a, b) >= 100) }
            // Still green: the seed's class for these three statuses.
            if let a { #expect(a.1 > a.0 && a.1 > a.2) }
        }
    }
}
