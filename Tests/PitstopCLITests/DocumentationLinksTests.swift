import Foundation
import Testing

/// The README is the front door and docs/ holds the rest: every relative link between them, and from them to
/// the repository's files and screenshots, reaches a file, and every `#anchor` a heading of that file.
struct DocumentationLinksTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// README.md and every page in docs/.
    static var pages: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
    }

    /// GitHub's anchor for a heading: lower-cased, punctuation dropped, spaces as hyphens.
    static func anchor(_ heading: String) -> String {
        let kept = heading.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" || $0 == "_" }
        return String(String.UnicodeScalarView(kept)).replacingOccurrences(of: " ", with: "-")
    }

    static func anchors(of file: URL) throws -> Set<String> {
        let text = try String(contentsOf: file, encoding: .utf8)
        var inCode = false
        var result = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#") else { continue }
            result.insert(anchor(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    @Test(arguments: pages)
    func everyRelativeLinkReachesAFileAndItsHeading(page: String) throws {
        let file = Self.root.appendingPathComponent(page)
        let text = try String(contentsOf: file, encoding: .utf8)
        let links = try Regex(#"\]\(([^)\s]+)\)"#)
        var checked = 0
        for match in text.matches(of: links) {
            let target = String(text[match.range]).dropFirst(2).dropLast()
            guard !target.hasPrefix("http://"), !target.hasPrefix("https://"), !target.hasPrefix("mailto:") else { continue }
            let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = parts[0].isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(String(parts[0])).standardizedFileURL
            #expect(FileManager.default.fileExists(atPath: path.path), "\(page): \(target) does not exist")
            if parts.count == 2, path.pathExtension == "md", FileManager.default.fileExists(atPath: path.path) {
                #expect(try Self.anchors(of: path).contains(String(parts[1])), "\(page): \(target) names no heading of \(path.lastPathComponent)")
            }
            checked += 1
        }
        #expect(checked > 0 || page != "README.md")
    }

    @Test func theReadmeStaysAFrontDoor() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines < 400, "README.md has \(lines) lines; internals belong in docs/")
        for section in ["## Two commands", "## Keys", "## Command line", "## Upgrading a fleet", "## Running for a team", "## Installing"] {
            #expect(text.contains("\n\(section)\n"), "README.md lacks \(section)")
        }
    }
}
