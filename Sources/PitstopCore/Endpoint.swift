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

    /// Whether `text` is an endpoint a runbook may hand to a client, `ssh` or a restart command: `host:port` or
    /// `[v6]:port`, the host of letters, digits, `.`, `-` and `_` not starting with `-` or `.`, the IPv6 address of
    /// hex digits, `:` and `.` (and a `%zone`), the port from 1 to 65535. Nothing a program could read as an
    /// option (`-oProxyCommand=…`), a list (libpq's `a,b`) or a second word (SPEC §29).
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 261, let colon = text.lastIndex(of: ":") else { return false }
        let host = text[..<colon]
        let port = text[text.index(after: colon)...]
        guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
              (1...65535).contains(number), !port.hasPrefix("0") else { return false }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return false }
            let inner = host.dropFirst().dropLast()
            let address = inner.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
            guard address[0].contains(":"), address[0].allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            if address.count == 2 { return !address[1].isEmpty && address[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
            return true
        }
        return isHostName(host)
    }

    /// A host name or IPv4 address: letters, digits, `.`, `-` and `_`, at most 253 bytes, not starting with `-` or `.`.
    public static func isHostName(_ host: Substring) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253, !host.hasPrefix("-"), !host.hasPrefix(".") else { return false }
        return host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
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
