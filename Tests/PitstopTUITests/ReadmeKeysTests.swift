import Foundation
@testable import PitstopTUI
import Testing

/// The README's key table says what the key tables do: every key of the panes is in it, and it names no key
/// the panes do not have.
struct ReadmeKeysTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The rows of the README's "## Keys" table: the first cell's backticked keys.
    static func documentedKeys() throws -> Set<String> {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Keys\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        var keys = Set<String>()
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.split(separator: "|").first.map(String.init) ?? ""
            for (index, part) in cell.components(separatedBy: "`").enumerated() where index % 2 == 1 { keys.insert(part) }
        }
        return keys
    }

    /// How the README writes a key.
    static func written(_ key: Key) -> String? {
        switch key {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .redraw: "Ctrl-L"
        case .home, .end, .backTab, .backspace, .delete, .function, .mouse, .resize: nil
        }
    }

    @Test func everyPaneKeyIsInTheReadmesTable() throws {
        let documented = try Self.documentedKeys()
        for binding in KeyMap.bindings {
            let names = binding.keys.compactMap(Self.written)
            #expect(names.contains { documented.contains($0) }, "\(binding.name) (\(names)) is not in the README's key table")
        }
    }

    @Test func theReadmesTableNamesNoKeyThePanesLack() throws {
        let bound = Set(KeyMap.bindings.flatMap { $0.keys.compactMap(Self.written) })
        // Ctrl-Z is the shell's suspend, handled as a signal rather than a key.
        for key in try Self.documentedKeys() where key != "Ctrl-Z" {
            #expect(bound.contains(key), "the README documents \(key), which no pane key does")
        }
    }
}
