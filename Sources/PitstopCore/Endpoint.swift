import Foundation

/// Reading a resource's `endpoint` (`host:port`, `[v6]:port`, or a bare host).
public enum Endpoint {
    /// The host part: `10.0.3.7` of `10.0.3.7:5432`, `::1` of `[::1]:5432`, `db-7` of `db-7`; nil when empty.
    public static func hostPart(_ endpoint: String) -> String? {
        var text = Substring(endpoint)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.firstIndex(of: ":"), colon == text.lastIndex(of: ":") {
            text = text[..<colon]  // one colon: host:port (more would be a bare IPv6 address)
        }
        return text.isEmpty ? nil : String(text)
    }
}

extension Resource {
    /// Whether `text` can be handed to `ssh` as a destination: `[user@]host` of letters, digits and `.-_:%[]`,
    /// not starting with `-` (which ssh would read as an option).
    public static func isSSHDestination(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 255, !text.hasPrefix("-") else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") }) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_:%[]@".unicodeScalars.contains(scalar))
        }
    }
}
