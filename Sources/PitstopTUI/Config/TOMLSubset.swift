import Foundation

/// The part of TOML a console config needs, read with the line of every value: `# comments`, `[table]`
/// headers, and `key = value` where a value is a basic string (`"…"` with `\"`, `\\`, `\n`, `\t`), a
/// single-line array of strings, `true`/`false`, or an integer. Anything else is refused with its line, rather
/// than half-read.
struct TOMLSubset {
    enum Value: Equatable {
        case string(String)
        case strings([String])
        case bool(Bool)
        case integer(Int)
    }

    /// One `key = value`, with its table (`""` for the top) and line.
    struct Entry: Equatable {
        var table: String
        var key: String
        var value: Value
        var line: Int
    }

    /// A line the reader refused, and why.
    struct Failure: Error, Equatable {
        var line: Int
        var message: String
    }

    static func parse(_ text: String) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        var table = ""
        var seen = Set<String>()
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let number = index + 1
            let line = stripComment(raw).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[["), line.count > 2 else { throw Failure(line: number, message: "a table header is [name]") }
                table = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard table.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                    throw Failure(line: number, message: "a table name is letters, digits, '-', '_' and '.'")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw Failure(line: number, message: "expected key = value") }
            var key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("\""), key.hasSuffix("\""), key.count >= 2 { key = String(key.dropFirst().dropLast()) }
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw Failure(line: number, message: "a key is letters, digits, '-' and '_' (got \"\(key)\")")
            }
            guard seen.insert(table + "." + key).inserted else { throw Failure(line: number, message: "\(key) is set twice") }
            let text = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            entries.append(Entry(table: table, key: key, value: try value(text, line: number), line: number))
        }
        return entries
    }

    /// The line without a `#` comment (a `#` inside a string stays).
    static func stripComment(_ line: String) -> String {
        var inString = false
        var escaped = false
        for (offset, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && inString { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    static func value(_ text: String, line: Int) throws(Failure) -> Value {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let n = Int(text) { return .integer(n) }
        if text.hasPrefix("\"") {
            var rest = Substring(text)
            let s = try string(&rest, line: line)
            guard rest.trimmingCharacters(in: .whitespaces).isEmpty else { throw Failure(line: line, message: "unexpected text after the string") }
            return .string(s)
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw Failure(line: line, message: "an array ends on its line with ]") }
            var rest = Substring(text.dropFirst().dropLast())
            var items: [String] = []
            while true {
                rest = rest.drop { $0.isWhitespace }
                if rest.isEmpty { break }
                guard rest.first == "\"" else { throw Failure(line: line, message: "an array here holds strings") }
                items.append(try string(&rest, line: line))
                rest = rest.drop { $0.isWhitespace }
                if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { throw Failure(line: line, message: "expected , between the array's strings") }
            }
            return .strings(items)
        }
        throw Failure(line: line, message: "a value is a \"string\", an array of strings, true, false or a number")
    }

    /// A basic string at the start of `rest` (which must begin with `"`); `rest` is left after it.
    static func string(_ rest: inout Substring, line: Int) throws(Failure) -> String {
        rest = rest.dropFirst()
        var out = ""
        while let c = rest.first {
            rest = rest.dropFirst()
            switch c {
            case "\"": return out
            case "\\":
                guard let e = rest.first else { break }
                rest = rest.dropFirst()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: throw Failure(line: line, message: "unknown escape \\\(e)")
                }
            default: out.append(c)
            }
        }
        throw Failure(line: line, message: "a string is not closed")
    }
}
