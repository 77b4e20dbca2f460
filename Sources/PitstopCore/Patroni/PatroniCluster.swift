public import Foundation

/// One member of a Patroni cluster as `GET /cluster` describes it.
public struct PatroniMember: Sendable, Equatable {
    /// The member's name in Patroni (`name:` of its configuration).
    public var name: String
    /// `leader`, `replica`, `sync_standby`, `standby_leader`, or Patroni 3.0's `master` and `primary`.
    public var role: String
    /// `running`, `streaming` (3.0.4+ and 4.x for a replica that streams), `starting`, `stopped`, …
    public var state: String
    /// Its REST API's base URL (`api_url` without `/patroni`), e.g. `http://10.0.3.7:8008`.
    public var apiURL: String
    /// Where its PostgreSQL listens.
    public var host: String
    public var port: Int
    public var timeline: Int?
    /// Bytes of WAL behind the leader; nil when Patroni says `unknown` (or for the leader).
    public var lagBytes: Int64?
    /// Its tags (`nofailover`, `noloadbalance`, anything the operator set), values as text.
    public var tags: [String: String]
    /// PostgreSQL needs a restart for a setting to take effect.
    public var pendingRestart: Bool

    /// Leads the cluster (any of the names Patroni versions use for it).
    public var isLeader: Bool { ["leader", "master", "primary", "standby_leader"].contains(role) }
    /// Replicates from the leader.
    public var isReplica: Bool { role == "replica" || role == "sync_standby" }
    /// Up: `running` for any role, `streaming` for a replica of 3.0.4 and later.
    public var isRunning: Bool { state == "running" || state == "streaming" }
    /// The role Pitstop gives it (leader → primary; replica and sync_standby → replica).
    public var resourceRole: ResourceRole { isLeader ? .primary : isReplica ? .replica : .standalone }
    /// Tagged so that Patroni never promotes it.
    public var noFailover: Bool { ["true", "1", "yes"].contains(tags["nofailover"]?.lowercased() ?? "") }
    /// `host:port` of its PostgreSQL.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A Patroni cluster as `GET /cluster` of any member describes it.
public struct PatroniCluster: Sendable, Equatable {
    /// The label of a resource that names its member's REST API (set by `pitstop discover patroni`): a
    /// resource with it is checked against Patroni before each attempt.
    public static let urlLabel = "patroni_url"
    /// The label of a resource that names its member in Patroni.
    public static let memberLabel = "patroni_member"

    /// Why `url` may not be a member's REST API for a resource reached at `endpoint` or over SSH at `host`;
    /// nil when it may. The engine's own processes send it requests (a switchover is a POST), so it is
    /// `http[s]://HOST:PORT` with nothing after, HOST that of the resource itself when it has an endpoint or a
    /// host: a label a member of a team store sets cannot send the engine's requests elsewhere (SPEC §29).
    public static func urlProblem(_ url: String, endpoint: String?, host: String?) -> String? {
        let scheme = url.hasPrefix("https://") ? "https://" : url.hasPrefix("http://") ? "http://" : nil
        guard let scheme else { return "\(urlLabel) \"\(url)\" is not an http:// or https:// address" }
        var authority = Substring(url.dropFirst(scheme.count))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard Endpoint.isValid(String(authority)), let apiHost = Endpoint.hostPart(String(authority)) else {
            return "\(urlLabel) \"\(url)\" is not \(scheme)HOST:PORT (no user, path or query)"
        }
        // A resource that says where it is: its member's API is there too (a resource that says nothing is
        // held to the form alone).
        let own = [endpoint.flatMap(Endpoint.hostPart), host.map { $0.split(separator: "@").last.map(String.init) ?? $0 }].compactMap { $0 }
        guard own.isEmpty || own.contains(apiHost) else {
            return "\(urlLabel) \"\(url)\" is on \(apiHost), not on the resource's own host (\(own.joined(separator: " or ")))"
        }
        return nil
    }

    public var members: [PatroniMember]
    /// In maintenance mode: Patroni changes nothing, and neither does Pitstop.
    public var paused: Bool

    /// The line a Patroni command prints for the engine, giving each member's role as Pitstop names it:
    /// `PITSTOP_ROLES=pg1=replica,pg2=primary` (members in no such role are left out).
    public var rolesLine: String {
        Self.rolesPrefix + members.compactMap { m in m.resourceRole == .standalone ? nil : "\(m.name)=\(m.resourceRole.rawValue)" }.joined(separator: ",")
    }
    /// What a roles line starts with.
    public static let rolesPrefix = "PITSTOP_ROLES="

    /// The roles a roles line gives (by member name); nil when the line is not one or names no role.
    public static func roles(fromLine line: Substring) -> [String: ResourceRole]? {
        guard line.hasPrefix(rolesPrefix) else { return nil }
        var roles: [String: ResourceRole] = [:]
        for pair in line.dropFirst(rolesPrefix.count).split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let role = ResourceRole(rawValue: parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
            roles[String(parts[0])] = role
        }
        return roles.isEmpty ? nil : roles
    }

    /// The running leader, if there is one.
    public var leader: PatroniMember? { members.first { $0.isLeader && $0.isRunning } }

    public func member(_ name: String) -> PatroniMember? { members.first { $0.name == name } }

    /// Reads the JSON of `GET /cluster`; the problem named when it is not one.
    public init(json data: Data) throws(PatroniError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformed("the answer is not a JSON object")
        }
        guard let list = object["members"] as? [[String: Any]] else { throw .malformed("no \"members\" array") }
        var members: [PatroniMember] = []
        for (index, entry) in list.enumerated() {
            guard let name = entry["name"] as? String, !name.isEmpty else { throw .malformed("members[\(index)] has no name") }
            guard let role = entry["role"] as? String else { throw .malformed("member \(name) has no role") }
            let api = (entry["api_url"] as? String) ?? ""
            let base = api.hasSuffix("/patroni") ? String(api.dropLast("/patroni".count)) : api
            var tags: [String: String] = [:]
            for (key, value) in entry["tags"] as? [String: Any] ?? [:] { tags[key] = Self.text(value) }
            let lag: Int64? = (entry["lag"] as? NSNumber).map { $0.int64Value }
            members.append(PatroniMember(
                name: name, role: role, state: (entry["state"] as? String) ?? "unknown", apiURL: base,
                host: (entry["host"] as? String) ?? "", port: (entry["port"] as? NSNumber)?.intValue ?? 5432,
                timeline: (entry["timeline"] as? NSNumber)?.intValue, lagBytes: lag, tags: tags,
                pendingRestart: (entry["pending_restart"] as? Bool) ?? false))
        }
        self.members = members
        paused = (object["pause"] as? Bool) ?? false
    }

    public init(members: [PatroniMember], paused: Bool) {
        self.members = members
        self.paused = paused
    }

    private static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        // JSON booleans are `Bool` here, numbers `Int` or `Double` (or NSNumber).
        if let flag = value as? Bool, type(of: value) == Bool.self { return flag ? "true" : "false" }
        if let number = value as? NSNumber { return number.stringValue }
        return "\(value)"
    }
}

/// What `GET /patroni` of one member says about itself: its scope and server version.
public struct PatroniStatus: Sendable, Equatable {
    /// The cluster's name (`scope`).
    public var scope: String
    /// `server_version` as PostgreSQL numbers it (150018 is 15.18).
    public var serverVersion: Int
    public var role: String
    public var state: String
    /// When its PostgreSQL started (`postmaster_start_time`, as Patroni writes it).
    public var postmasterStart: String
    public var timeline: Int?
    public var pendingRestart: Bool
    /// The leader's current WAL position (`xlog.location`), or a replica's replayed one (`xlog.replayed_location`).
    public var walPosition: Int64?
    /// A replica whose replay is paused (`pg_wal_replay_pause()`): it receives WAL but applies none.
    public var replayPaused: Bool

    /// `15.18` from 150018 (and `9.6.24` from 90624).
    public var versionText: String {
        serverVersion >= 100000 ? "\(serverVersion / 10000).\(serverVersion % 10000)"
            : "\(serverVersion / 10000).\(serverVersion / 100 % 100).\(serverVersion % 100)"
    }

    public init(json data: Data) throws(PatroniError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformed("the answer is not a JSON object")
        }
        guard let patroni = object["patroni"] as? [String: Any], let scope = patroni["scope"] as? String else {
            throw .malformed("no patroni.scope (is this a Patroni REST API?)")
        }
        self.scope = scope
        serverVersion = (object["server_version"] as? NSNumber)?.intValue ?? 0
        role = (object["role"] as? String) ?? "unknown"
        state = (object["state"] as? String) ?? "unknown"
        postmasterStart = (object["postmaster_start_time"] as? String) ?? ""
        timeline = (object["timeline"] as? NSNumber)?.intValue
        pendingRestart = (object["pending_restart"] as? Bool) ?? false
        let xlog = object["xlog"] as? [String: Any] ?? [:]
        walPosition = ((xlog["location"] ?? xlog["replayed_location"]) as? NSNumber)?.int64Value
        replayPaused = (xlog["paused"] as? Bool) ?? false
    }

    /// Whether it runs `target`, written as PostgreSQL prints versions (`15`, `15.18`, `16.4`).
    public func runs(_ target: String) -> Bool {
        let wanted = target.split(separator: ".").map(String.init)
        let have = versionText.split(separator: ".").map(String.init)
        return !wanted.isEmpty && wanted.count <= have.count && zip(wanted, have).allSatisfy(==)
    }
}

/// A Patroni answer that cannot be used, or a request it refused.
public enum PatroniError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case refused(status: Int, body: String)

    public var description: String {
        switch self {
        case .malformed(let why): "not a Patroni answer: \(why)"
        case .refused(let status, let body): "Patroni refused (HTTP \(status)): \(body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))"
        }
    }
}
