import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The config file: what it may say, how a remap reaches dispatch, footer and help, and how a bad file is
/// refused with its line.
struct ConsoleConfigTests {
    let fleet = TUIFixture.fleet

    func config(_ text: String) throws(ConfigFileError) -> ConsoleConfig { try ConsoleConfig.parse(text, path: "/home/a/.config/pitstop/config.toml") }

    func refusal(_ text: String) -> String? {
        do {
            _ = try config(text)
            return nil
        } catch {
            return (error as? ConfigFileError)?.description
        }
    }

    @Test func aRemappedKeyDispatchesShowsInTheFooterAndTheHelpAndTheOldKeyIsFree() throws {
        let c = try config("""
            # mine
            theme = "light"   # a comment after a value
            sort = "deadline desc"
            [keys]
            clear = "C"
            copy = ["Y", "F5"]
            """)
        #expect(c.theme == "light" && c.sort == .deadline && c.sortDescending)
        var s = TUIFixture.state()
        s.keys = c.keys
        TUIFixture.send(&s, .enter)
        #expect(s.keys.footer(for: .resources, readonly: false).contains { $0 == ("C", "clear") })
        TUIFixture.send(&s, .char("c"))
        #expect(s.notification?.text == "no action for c (? for help)")
        TUIFixture.send(&s, .char("C"))
        #expect(s.topOverlay is ConfirmationPrompt, "C asks to clear")
        TUIFixture.send(&s, .escape)
        #expect(TUIFixture.send(&s, .function(5)).contains { if case .copy = $0 { true } else { false } })
        #expect(HelpOverlay.lines(s.keys).contains { $0.keys == "C  x" && $0.text.hasPrefix("clear reservations") })
        #expect(HelpOverlay.lines(s.keys).contains { $0.keys == "Y  F5" })
    }

    @Test func aModeRemapIsInForceOnlyInsideItsRun() throws {
        let c = try config("[keys.confirm]\nyes = [\"o\", \"Enter\"]\n[keys.lists]\nclose = [\"Esc\", \"x\"]\n")
        c.withModeKeys {
            #expect(OverlayKeys.confirm.command(for: .char("o")) == .yes && OverlayKeys.confirm.command(for: .char("y")) == nil)
            #expect(OverlayKeys.confirm.footer.first?.0 == "o/Enter")
            #expect(OverlayKeys.list.command(for: .char("x")) == .close && OverlayKeys.list.command(for: .char("q")) == nil)
            #expect(OverlayKeys.helpLines.contains { $0.line.contains("o/Enter yes") })
        }
        #expect(OverlayKeys.confirm.command(for: .char("y")) == .yes, "outside the run, the standard keys")
        #expect(c.rendered().contains("[keys.confirm]\nyes = [\"o\", \"Enter\"]   # remapped"))
        // Read back, every action is written out, so the effect is compared: the same keys everywhere.
        func keysOnly(_ text: String) -> [String] { text.split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: "   # remapped", with: "") } }
        #expect(keysOnly(try config(c.rendered()).rendered()) == keysOnly(c.rendered()))
    }

    @Test func everyModeActionHasItsOwnName() {
        for mode in ModeRemaps.modes {
            let actions = mode.actionKeys.map(\.action)
            #expect(Set(actions).count == actions.count, "\(mode.configName): \(actions)")
        }
    }

    @Test func everyActionHasItsOwnName() {
        #expect(Set(PaneKeyTable.actions).count == PaneKeyTable.actions.count)
    }

    @Test func showPrintsAFileThatReadsBackTheSame() throws {
        let c = try config("[keys]\nundo = \"U\"\nhelp = [\"?\", \"F1\", \"h\"]\nto-tasks = \"Left\"\n")
        let again = try config(c.rendered())
        #expect(again.keys == c.keys && (again.theme ?? "default") == "default" && again.sort == .id && !again.sortDescending)
        #expect(c.rendered().contains("undo = [\"U\"]   # remapped"))
    }

    @Test func everyKindOfMistakeIsRefusedWithItsLine() {
        let file = "/home/a/.config/pitstop/config.toml"
        #expect(refusal("[keys]\nundoo = \"U\"") == "\(file):2: no action undoo in the panes; did you mean undo?")
        #expect(refusal("[keys]\n\nundo = \"y\"") == "\(file):3: y would be bound to both undo and copy")
        #expect(refusal("[keys]\nundo = \"ctrl-u\"")?.hasPrefix("\(file):2: \"ctrl-u\" is not a key") == true)
        #expect(refusal("sort = \"sideways\"")?.hasPrefix("\(file):1: sort is \"COLUMN [asc|desc]\"") == true)
        #expect(refusal("colour = \"red\"") == "\(file):1: unknown setting colour (theme, sort, and the [keys] table)")
        #expect(refusal("[keys.nope]\nclose = \"x\"")?.hasPrefix("\(file):2: no mode nope to remap ([keys] for the panes, or keys.lists, keys.confirm") == true)
        #expect(refusal("[keys.lists]\nclse = \"x\"") == "\(file):2: no action clse in the lists mode; did you mean close?")
        #expect(refusal("[keys.confirm]\nyes = \"n\"") == "\(file):2: n would be bound to both yes and no in the confirm mode")
        #expect(refusal("theme = \"light\nsort = \"id\"") == "\(file):1: a string is not closed")
        #expect(refusal("theme = \"a\"\ntheme = \"b\"") == "\(file):2: theme is set twice")
        #expect(refusal("[keys]\nundo = []") == "\(file):2: undo needs at least one key")
    }

    @Test func theFileIsFoundInTheConfigDirectoryAndAMissingOneIsNoProblem() throws {
        #expect(ConsoleConfig.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/pitstop/config.toml")
        #expect(ConsoleConfig.path(environment: ["HOME": "/h"]) == "/h/.config/pitstop/config.toml")
        let (config, problem) = ConsoleConfig.load(environment: ["XDG_CONFIG_HOME": "/nonexistent-\(UUID().uuidString)"])
        #expect(problem == nil && config.path == nil && config.keys == .standard)
    }
}
