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
