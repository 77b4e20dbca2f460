/// The one check of a config file's remaps of a key table (the panes' or another mode's): every action known
/// (else the nearest is named), and no key bound to two actions once the remaps are applied.
enum KeyRemapCheck {
    /// `table` is each action's standard keys, in table order; `place` says where ("the panes", "the lists
    /// mode") and `suffix` ends a double binding's sentence (" in the lists mode", or nothing for the panes).
    static func check(_ remaps: [(action: String, keys: [Key])], table: [(action: String, keys: [Key])], place: String, suffix: String) throws(ConfigProblem) {
        let actions = table.map(\.action)
        var wanted: [String: [Key]] = [:]
        for (action, keys) in remaps {
            guard actions.contains(action) else {
                throw ConfigProblem(key: action, "no action \(action) in \(place); did you mean \(Spelling.nearest(to: action, among: actions) ?? "")?")
            }
            wanted[action] = keys
        }
        var owner: [String: String] = [:]
        for (action, standard) in table {
            for key in wanted[action] ?? standard {
                let written = KeyNames.written(key)
                if let other = owner[written], other != action {
                    throw ConfigProblem(key: wanted[action] != nil ? action : other, "\(written) would be bound to both \(other) and \(action)\(suffix)")
                }
                owner[written] = action
            }
        }
    }
}

/// The known word nearest to a mistyped one (fewest edits), for "did you mean …?".
enum Spelling {
    static func nearest(to word: String, among words: [String]) -> String? {
        let typed = Array(word.lowercased())
        return words.min { distance(typed, Array($0)) < distance(typed, Array($1)) }
    }

    /// Levenshtein distance, for short words.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
