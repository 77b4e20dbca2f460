import Foundation

/// Typed, path-aware reads of one JSON object from `JSONSerialization`, collecting problems instead of stopping.
struct JSONFields {
    let object: [String: Any]
    let path: String
    private(set) var problems: [ImportProblem] = []
    private var used: Set<String> = []

    init(_ object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    mutating func problem(_ key: String?, _ message: String) {
        problems.append(ImportProblem(path: key.map { "\(path).\($0)" } ?? path, message: message))
    }

    /// Takes the problems of a nested object's reader.
    mutating func absorb(_ nested: JSONFields) { problems += nested.problems }

    /// Adds a problem for every key that no read asked for: a typo is an error, not silently ignored.
    mutating func rejectUnknownKeys() {
        for key in object.keys.sorted() where !used.contains(key) {
            problem(key, "unknown field")
        }
    }

    private mutating func raw(_ key: String, required: Bool) -> Any? {
        used.insert(key)
        guard let value = object[key], !(value is NSNull) else {
            if required { problem(key, "is required") }
            return nil
        }
        return value
    }

    static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    mutating func string(_ key: String, required: Bool = true, nonEmpty: Bool = true) -> String? {
        guard let value = raw(key, required: required) else { return nil }
        guard let string = value as? String else {
            problem(key, "must be a string")
            return nil
        }
        if nonEmpty && string.trimmingCharacters(in: .whitespaces).isEmpty {
            problem(key, "must not be empty")
            return nil
        }
        if string.unicodeScalars.contains("\u{0}") {
            problem(key, "contains a NUL character, which no command line or environment variable can carry")
            return nil
        }
        return string
    }

    /// An id: a string people type on a command line, so without control or reordering characters.
    mutating func identifier(_ key: String) -> String? {
        guard let id = string(key) else { return nil }
        if let hazard = TerminalHazard.first(in: id) {
            problem(key, "contains \(hazard), a control or text-reordering character; ids must be typeable")
            return nil
        }
        if id.count > Self.maximumIdentifierLength {
            problem(key, "is \(id.count) characters long; ids are at most \(Self.maximumIdentifierLength)")
            return nil
        }
        return id
    }

    static let maximumIdentifierLength = 200

    mutating func enumValue<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = true) -> T? where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let value = T(rawValue: text) else {
            problem(key, "unknown value \"\(text)\"; expected one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            return nil
        }
        return value
    }

    mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = raw(key, required: required) else { return nil }
        guard Self.isBool(value), let flag = value as? Bool else {
            problem(key, "must be true or false")
            return nil
        }
        return flag
    }

    mutating func int(_ key: String, required: Bool = false, minimum: Int) -> Int? {
        guard let value = raw(key, required: required) else { return nil }
        guard !Self.isBool(value), let number = value as? NSNumber, let int = Int(exactly: number.doubleValue) else {
            problem(key, "must be a whole number")
            return nil
        }
        guard int >= minimum else {
            problem(key, "must be at least \(minimum)")
            return nil
        }
        return int
    }

    mutating func double(_ key: String, required: Bool = false, range: ClosedRange<Double>) -> Double? {
        guard let value = raw(key, required: required) else { return nil }
        guard !Self.isBool(value), let number = value as? NSNumber, number.doubleValue.isFinite else {
            problem(key, "must be a number")
            return nil
        }
        guard range.contains(number.doubleValue) else {
            problem(key, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number.doubleValue
    }

    mutating func instant(_ key: String, required: Bool = true) -> Date? {
        guard let text = string(key, required: required) else { return nil }
        guard let parsed = try? InstantParser.parse(text, now: Date(timeIntervalSince1970: 0), zone: TimeZone(identifier: "UTC")!),
            text.contains("T") || text.contains("t")
        else {
            problem(key, "\"\(text)\" is not an ISO 8601 instant with an offset, e.g. 2026-12-01T02:00:00+09:00")
            return nil
        }
        let hasOffset = text.hasSuffix("Z") || text.hasSuffix("z")
            || text.range(of: #"[+-][0-9]{2}:?[0-9]{2}$"#, options: .regularExpression) != nil
        guard hasOffset else {
            problem(key, "\"\(text)\" has no offset; add Z or ±HH:MM")
            return nil
        }
        return parsed.date
    }

    mutating func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let value = raw(key, required: required) else { return nil }
        guard let array = value as? [Any], array.allSatisfy({ $0 is String }) else {
            problem(key, "must be an array of strings")
            return nil
        }
        return array.compactMap { $0 as? String }
    }

    mutating func objectArray(_ key: String, required: Bool = true) -> [[String: Any]]? {
        guard let value = raw(key, required: required) else { return nil }
        guard let array = value as? [Any] else {
            problem(key, "must be an array")
            return nil
        }
        var objects: [[String: Any]] = []
        for (index, element) in array.enumerated() {
            guard let object = element as? [String: Any] else {
                problems.append(ImportProblem(path: "\(path).\(key)[\(index)]", message: "must be an object"))
                continue
            }
            objects.append(object)
        }
        return objects.count == array.count ? objects : nil
    }

    mutating func object(_ key: String, required: Bool = false) -> [String: Any]? {
        guard let value = raw(key, required: required) else { return nil }
        guard let object = value as? [String: Any] else {
            problem(key, "must be an object")
            return nil
        }
        return object
    }

    /// The raw value of a key, marked as read (for fields of more than one JSON type).
    mutating func any(_ key: String) -> Any? { raw(key, required: false) }

    /// An object whose values are all strings (labels, parameters); keys must be non-empty.
    mutating func stringMap(_ key: String) -> [String: String]? {
        guard let object = object(key) else { return nil }
        var map: [String: String] = [:]
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let text = value as? String else {
                problems.append(ImportProblem(path: "\(path).\(key).\(name)", message: "must be a string"))
                continue
            }
            if name.isEmpty { problems.append(ImportProblem(path: "\(path).\(key)", message: "has an empty key")) }
            map[name] = text
        }
        return map
    }

    /// Marks a key as known without reading it (derived fields an export writes, like `status`).
    mutating func ignore(_ key: String) { used.insert(key) }
}
