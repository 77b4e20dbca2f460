import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The one table of keys: every binding is in the help, no key does two things, and read-only mode hides and
/// refuses every binding that changes the store.
struct KeyMapTests {
    let fleet = TUIFixture.fleet

    @Test func noKeyIsBoundTwice() {
        var seen: [String] = []
        for binding in KeyMap.bindings {
            for key in binding.keys {
                let name = "\(key)"
                #expect(!seen.contains(name), "\(name) is bound twice")
                seen.append(name)
            }
        }
    }

    @Test func everyBindingAppearsInTheHelp() {
        var state = TUIFixture.state(width: 120, height: 40)
        TUIFixture.send(&state, .char("?"))
        let help = Renderer.render(state, fleet: fleet).text
        for group in KeyMap.groups {
            #expect(help.contains(group.label) && help.contains(group.help), "\(group.label) is missing from the help")
        }
        for binding in KeyMap.bindings {
            #expect(KeyMap.groups.contains { group in group.bindings.contains { $0.command == binding.command } })
        }
    }

    @Test(arguments: KeyMap.bindings.filter(\.changesStore).map(\.command))
    func readOnlyHidesAndRefusesEveryBindingThatChangesTheStore(_ command: PaneCommand) throws {
        let binding = try #require(KeyMap.bindings.first { $0.command == command })
        for focus in [Focus.tasks, .resources] {
            #expect(!KeyMap.footer(for: focus, readonly: true).contains { $0.1 == binding.name }, "\(binding.name) shown read-only")
        }
        var state = TUIFixture.state(readonly: true)
        TUIFixture.send(&state, .enter)
        let effects = TUIFixture.send(&state, binding.keys[0])
        #expect(effects.isEmpty && state.topOverlay == nil)
        #expect(state.notification?.text == "read-only: \(binding.name) is disabled (started with --readonly)")
        TUIFixture.send(&state, .char("?"))
        let help = Renderer.render(state, fleet: fleet).text
        let group = try #require(KeyMap.groups.first { $0.bindings.contains { $0.command == command } })
        let line = try #require(help.split(separator: "\n").first { $0.contains("│ \(group.label)  ") })
        #expect(line.contains("\(group.help) (read-only)"), "\(line)")
    }

    @Test func theFooterShowsWhatTheTableSaysForEachPane() {
        let tasks = KeyMap.footer(for: .tasks, readonly: false).map(\.0)
        let resources = KeyMap.footer(for: .resources, readonly: false).map(\.0)
        #expect(tasks == ["↑↓", "Enter", "/", "s", "e", "E", "L", "v", "t", "?", "q"])
        #expect(resources == ["↑↓", "space", "a", "e", "c", "x", "r", "K", "o", "Esc", "?", "q"])
    }
}

/// Every input mode has its key table (SPEC §17, the house): no key bound twice in one mode, every binding in
/// the help, and the footers and the reducer read the same tables.
struct ModeKeyTableTests {
    @Test func noKeyIsBoundTwiceInAnyMode() {
        for (mode, bindings) in OverlayKeys.keysByMode {
            var seen: [String] = []
            for key in bindings.flatMap({ $0 }) {
                #expect(!seen.contains("\(key)"), "\(mode): \(key) is bound twice")
                seen.append("\(key)")
            }
        }
    }

    @Test func theHelpListsEveryModeAndEveryBinding() {
        var state = TUIFixture.state(width: 200, height: 60)
        TUIFixture.send(&state, .char("?"))
        let help = Renderer.render(state, fleet: TUIFixture.fleet).text
        for (mode, _) in OverlayKeys.helpLines { #expect(help.contains(mode), "the help lacks the \(mode) mode") }
        let written = OverlayKeys.editor.bindings.map { "\($0.label) \($0.help)" } + OverlayKeys.confirm.bindings.map { "\($0.label) \($0.help)" }
            + OverlayKeys.filter.bindings.map { "\($0.label) \($0.help)" } + OverlayKeys.list.bindings.map { "\($0.label) \($0.help)" }
            + OverlayKeys.watch.bindings.map { "\($0.label) \($0.help)" }
        for binding in written { #expect(help.contains(binding), "the help lacks \(binding)") }
    }

    @Test func theFootersAreTheTables() {
        var state = TUIFixture.state(width: 200, height: 40)
        TUIFixture.send(&state, .down, .enter, .char("e"))
        let footer = Renderer.render(state, fleet: TUIFixture.fleet).text.split(separator: "\n").last.map(String.init) ?? ""
        for (label, help) in OverlayKeys.editor.footer { #expect(footer.contains("\(label) \(help)"), "\(footer)") }
    }

    @Test func theReducerObeysTheEditorsTable() throws {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .down, .down, .down, .enter, .char("e"))
        let before = try #require(state.topOverlay?.editor)
        for binding in OverlayKeys.editor.bindings where binding.command == .field(1) {
            for key in binding.keys {
                var copy = state
                TUIFixture.send(&copy, key)
                #expect(copy.topOverlay?.editor?.field != before.field, "\(key) moves to the next field")
            }
        }
    }
}
