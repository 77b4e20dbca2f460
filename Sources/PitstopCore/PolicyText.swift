public import Foundation

/// Why a policy value was refused.
public struct PolicyError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// Which key and what form it takes.
    public var message: String
    /// The message.
    public var description: String { message }
    /// The message.
    public var errorDescription: String? { message }
}

/// Reads and writes policy values as text, for `policy show` and `policy set KEY VALUE`.
public enum PolicyText {
    /// The value of `key` as `policy show` prints it.
    public static func value(of key: String, in policy: Policy) -> String? {
        switch key {
        case "minLeadTime": return DurationText.format(policy.minLeadTime)
        case "startWindow": return DurationText.format(policy.startWindow)
        case "conflictWindow": return DurationText.format(policy.conflictWindow)
        case "lockout": return DurationText.format(policy.lockout)
        case "autoApplyMargin": return DurationText.format(policy.autoApplyMargin)
        case "outputRetention": return DurationText.format(policy.outputRetention)
        case "maxConcurrency": return String(policy.maxConcurrency)
        case "clusterConcurrency": return String(policy.clusterConcurrency)
        case "autoApply": return String(policy.autoApply)
        case "notifyLeadTimes": return policy.notifyLeadTimes.map(DurationText.format).joined(separator: ",")
        case "notifyCommand":
            guard !policy.notifyCommand.isEmpty else { return "" }
            let data = try? JSONSerialization.data(withJSONObject: policy.notifyCommand, options: [.withoutEscapingSlashes])
            return data.flatMap { String(data: $0, encoding: .utf8) } ?? ""
        default: return nil
        }
    }

    /// `policy` with `key` set from `text`, or an error naming the key and the expected form.
    public static func setting(_ key: String, to text: String, in policy: Policy) throws(PolicyError) -> Policy {
        var policy = policy
        func duration() throws(PolicyError) -> TimeInterval {
            guard let seconds = DurationText.parse(text) else {
                throw PolicyError(message: "\(key): \"\(text)\" is not a duration; write e.g. 0, 90s, 15m, 24h or 7d")
            }
            return seconds
        }
        switch key {
        case "minLeadTime": policy.minLeadTime = try duration()
        case "startWindow":
            policy.startWindow = try duration()
            if policy.startWindow < 60 { throw PolicyError(message: "startWindow: must be at least 1m, or nothing could ever start") }
        case "conflictWindow": policy.conflictWindow = try duration()
        case "lockout": policy.lockout = try duration()
        case "autoApplyMargin": policy.autoApplyMargin = try duration()
        case "outputRetention":
            policy.outputRetention = try duration()
            if policy.outputRetention < 3600 { throw PolicyError(message: "outputRetention: must be at least 1h, so a running attempt's files are never removed") }
        case "maxConcurrency":
            guard let value = Int(text), value >= 1, value <= 10_000 else {
                throw PolicyError(message: "maxConcurrency: \"\(text)\" is not a whole number from 1 to 10000")
            }
            policy.maxConcurrency = value
        case "clusterConcurrency":
            guard let value = Int(text), value >= 1, value <= 10_000 else {
                throw PolicyError(message: "clusterConcurrency: \"\(text)\" is not a whole number from 1 to 10000")
            }
            policy.clusterConcurrency = value
        case "autoApply":
            guard let value = Bool(text.lowercased()) else {
                throw PolicyError(message: "autoApply: \"\(text)\" is not true or false")
            }
            policy.autoApply = value
        case "notifyLeadTimes":
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var values: [TimeInterval] = []
            for part in parts where !(parts.count == 1 && part.isEmpty) {
                guard let seconds = DurationText.parse(part), seconds > 0 else {
                    throw PolicyError(message: "notifyLeadTimes: \"\(part)\" is not a duration above 0; write e.g. 24h,1h,10m")
                }
                values.append(seconds)
            }
            policy.notifyLeadTimes = Array(Set(values)).sorted(by: >)
        case "notifyCommand":
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                policy.notifyCommand = []
            } else {
                guard let data = text.data(using: .utf8),
                    let argv = (try? JSONSerialization.jsonObject(with: data)) as? [String], !argv.isEmpty, !argv[0].isEmpty
                else {
                    throw PolicyError(message: "notifyCommand: write the argv as a JSON array of strings, e.g. [\"/usr/local/bin/notify\", \"--channel\", \"ops\"], or \"\" for none")
                }
                policy.notifyCommand = argv
            }
        default:
            throw PolicyError(message: "unknown policy key \"\(key)\"; known keys: \(Policy.keys.joined(separator: ", "))")
        }
        return policy
    }

    /// `key: old → new` for every key that differs.
    public static func differences(from old: Policy, to new: Policy) -> [String] {
        Policy.keys.compactMap { key in
            let before = value(of: key, in: old) ?? ""
            let after = value(of: key, in: new) ?? ""
            return before == after ? nil : "\(key): \(before.isEmpty ? "\"\"" : before) → \(after.isEmpty ? "\"\"" : after)"
        }
    }
}
