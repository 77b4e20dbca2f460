public import Foundation
import PitstopCore
import Synchronization

/// One key and its value as etcd keeps them, with the revisions a transaction compares.
public struct EtcdKeyValue: Sendable, Equatable {
    public var key: String
    public var value: Data
    /// The revision of the write that created the key, and of the last one that changed it.
    public var createRevision: Int64
    public var modRevision: Int64
    /// The lease the key is attached to (0: none).
    public var lease: Int64
}

/// What one condition of a transaction compares.
public struct EtcdCompare: Sendable {
    enum Target { case modRevision(Int64), createRevision(Int64), value(Data), lease(Int64) }
    let key: String
    let target: Target

    /// The key was last changed at `revision` (0: the key does not exist).
    public static func modRevision(_ key: String, is revision: Int64) -> EtcdCompare { EtcdCompare(key: key, target: .modRevision(revision)) }
    /// The key was created at `revision` (0: the key does not exist).
    public static func createRevision(_ key: String, is revision: Int64) -> EtcdCompare { EtcdCompare(key: key, target: .createRevision(revision)) }
    /// The key holds `value`.
    public static func value(_ key: String, is value: Data) -> EtcdCompare { EtcdCompare(key: key, target: .value(value)) }
    /// The key is attached to lease `id`.
    public static func lease(_ key: String, is id: Int64) -> EtcdCompare { EtcdCompare(key: key, target: .lease(id)) }

    var json: [String: Any] {
        var object: [String: Any] = ["key": EtcdClient.encode(key), "result": "EQUAL"]
        switch target {
        case .modRevision(let revision): object["target"] = "MOD"; object["mod_revision"] = String(revision)
        case .createRevision(let revision): object["target"] = "CREATE"; object["create_revision"] = String(revision)
        case .value(let value): object["target"] = "VALUE"; object["value"] = value.base64EncodedString()
        case .lease(let id): object["target"] = "LEASE"; object["lease"] = String(id)
        }
        return object
    }
}

/// One operation of a transaction.
public enum EtcdOperation: Sendable {
    case put(key: String, value: Data, lease: Int64 = 0)
    case delete(key: String)
    /// Every key from `key` up to (not including) `end`.
    case deleteRange(key: String, end: String)
    case get(key: String)

    var json: [String: Any] {
        switch self {
        case .put(let key, let value, let lease):
            var put: [String: Any] = ["key": EtcdClient.encode(key), "value": value.base64EncodedString()]
            if lease != 0 { put["lease"] = String(lease) }
            return ["request_put": put]
        case .delete(let key): return ["request_delete_range": ["key": EtcdClient.encode(key)]]
        case .deleteRange(let key, let end): return ["request_delete_range": ["key": EtcdClient.encode(key), "range_end": EtcdClient.encode(end)]]
        case .get(let key): return ["request_range": ["key": EtcdClient.encode(key)]]
        }
    }
}

/// A change a watch reports.
public struct EtcdEvent: Sendable, Equatable {
    public var deleted: Bool
    public var keyValue: EtcdKeyValue
}

/// Why etcd could not be used, in words a person can act on.
public enum EtcdError: Error, Equatable, CustomStringConvertible {
    /// No endpoint answered: each one's reason.
    case unreachable([String])
    /// etcd answered with an error (gRPC code and message): no quorum, a lease not found, a compacted revision…
    case refused(code: Int, message: String)
    /// etcd's answer could not be read.
    case malformed(String)

    public var description: String {
        switch self {
        case .unreachable(let reasons):
            // A member that is up but cut off from the others does not answer: it has no quorum to answer with.
            (reasons.contains { $0.contains("did not answer") } ? "etcd unreachable or without quorum: " : "etcd unreachable: ")
                + reasons.joined(separator: "; ")
        case .refused(let code, let message):
            code == 14 || message.contains("timed out") || message.contains("no leader")
                ? "etcd has no quorum (\(message)): nothing can be written until a majority of its members is back"
                : "etcd refused: \(message)"
        case .malformed(let why): "etcd gave an answer Pitstop cannot read: \(why)"
        }
    }

    /// The revision asked for is gone: compacted away.
    public var isCompacted: Bool { if case .refused(_, let message) = self { message.contains("compacted") } else { false } }
    /// The lease named is gone (expired or revoked).
    public var isLeaseGone: Bool { if case .refused(_, let message) = self { message.contains("lease not found") } else { false } }
}

/// etcd's v3 API through its JSON gateway (`/v3/…`, keys and values in base64, 64-bit numbers as strings, fields
/// left out when they hold their default), over http or https with client certificates. Requests go to the
/// endpoint that answered last and fall over to the others in turn. Blocking; safe to share between threads.
public final class EtcdClient: Sendable {
    /// `https://10.0.0.1:2379`, …
    public let endpoints: [String]
    public let tls: TLSFiles?
    /// Seconds for each request (a watch has none).
    public let timeout: Double
    private let preferred = Mutex(0)

    public init(endpoints: [String], tls: TLSFiles? = nil, timeout: Double = 5) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.tls = tls
        self.timeout = timeout
    }

    static func encode(_ key: String) -> String { Data(key.utf8).base64EncodedString() }

    /// The first key after every key that starts with `prefix`: the end of a prefix range.
    public static func prefixEnd(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xFF { bytes[bytes.count - 1] = last + 1; return String(decoding: bytes, as: UTF8.self) }
            bytes.removeLast()
        }
        return "\0"
    }

    /// One call of the gateway, on each endpoint in turn until one answers; etcd's own errors are not retried
    /// elsewhere (every member would say the same).
    func call(_ path: String, _ body: [String: Any], timeout: Double? = nil) throws(EtcdError) -> [String: Any] {
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data("{}".utf8)
        let start = preferred.withLock { $0 }
        var reasons: [String] = []
        for step in 0..<endpoints.count {
            let index = (start + step) % endpoints.count
            let response: HTTPResponse
            do {
                response = try HTTPClient.request("POST", endpoints[index] + "/v3" + path, body: data, timeout: timeout ?? self.timeout, tls: tls)
            } catch {
                reasons.append(error.description)
                continue
            }
            preferred.withLock { $0 = index }
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            if response.status != 200 || object?["error"] != nil {
                let message = (object?["message"] as? String) ?? (object?["error"] as? String) ?? response.text.prefix(200).description
                throw .refused(code: (object?["code"] as? NSNumber)?.intValue ?? 2, message: message)
            }
            guard let object else { throw .malformed("\(path) answered \(response.text.prefix(120))") }
            return object
        }
        throw .unreachable(reasons)
    }

    static func int(_ value: Any?) -> Int64 {
        if let text = value as? String { return Int64(text) ?? 0 }
        return (value as? NSNumber)?.int64Value ?? 0
    }

    static func keyValue(_ object: [String: Any]) -> EtcdKeyValue {
        EtcdKeyValue(
            key: String(decoding: Data(base64Encoded: object["key"] as? String ?? "") ?? Data(), as: UTF8.self),
            value: Data(base64Encoded: object["value"] as? String ?? "") ?? Data(),
            createRevision: int(object["create_revision"]), modRevision: int(object["mod_revision"]), lease: int(object["lease"]))
    }

    static func revision(_ object: [String: Any]) -> Int64 { int((object["header"] as? [String: Any])?["revision"]) }

    /// The keys from `key` (to `end`, else that key alone), at `revision` (0: the latest), at most `limit` (0: all).
    /// `descending` sorts by key from the last.
    public func range(_ key: String, end: String? = nil, revision: Int64 = 0, limit: Int = 0, keysOnly: Bool = false, descending: Bool = false)
        throws(EtcdError) -> (kvs: [EtcdKeyValue], revision: Int64, more: Bool) {
        var body: [String: Any] = ["key": Self.encode(key)]
        if descending { body["sort_order"] = "DESCEND"; body["sort_target"] = "KEY" }
        if let end { body["range_end"] = Self.encode(end) }
        if revision > 0 { body["revision"] = String(revision) }
        if limit > 0 { body["limit"] = String(limit) }
        if keysOnly { body["keys_only"] = true }
        let answer = try call("/kv/range", body)
        let kvs = (answer["kvs"] as? [[String: Any]] ?? []).map(Self.keyValue)
        return (kvs, Self.revision(answer), answer["more"] as? Bool ?? false)
    }

    /// Every key under `prefix`, read in pages at one revision.
    public func prefix(_ prefix: String, page: Int = 500) throws(EtcdError) -> (kvs: [EtcdKeyValue], revision: Int64) {
        let end = Self.prefixEnd(prefix)
        var (kvs, revision, more) = try range(prefix, end: end, limit: page)
        while more, let last = kvs.last {
            let next = try range(last.key + "\0", end: end, revision: revision, limit: page)
            kvs += next.kvs
            more = next.more
        }
        return (kvs, revision)
    }

    /// Writes `value` at `key`; returns the revision of the write.
    @discardableResult
    public func put(_ key: String, _ value: Data, lease: Int64 = 0) throws(EtcdError) -> Int64 {
        var body: [String: Any] = ["key": Self.encode(key), "value": value.base64EncodedString()]
        if lease != 0 { body["lease"] = String(lease) }
        return Self.revision(try call("/kv/put", body))
    }

    /// If every comparison holds, the `success` operations, else the `failure` ones, as one atomic write.
    /// Returns whether it succeeded, the revision after it, and the keys the `get`s of the branch taken read.
    public func txn(_ compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = [])
        throws(EtcdError) -> (succeeded: Bool, revision: Int64, read: [EtcdKeyValue]) {
        let answer = try call("/kv/txn", ["compare": compare.map(\.json), "success": success.map(\.json), "failure": failure.map(\.json)])
        let read = (answer["responses"] as? [[String: Any]] ?? []).flatMap { response -> [EtcdKeyValue] in
            ((response["response_range"] as? [String: Any])?["kvs"] as? [[String: Any]] ?? []).map(Self.keyValue)
        }
        return (answer["succeeded"] as? Bool ?? false, Self.revision(answer), read)
    }

    /// Deletes every key under `prefix`.
    public func deletePrefix(_ prefix: String) throws(EtcdError) {
        _ = try txn([], success: [.deleteRange(key: prefix, end: Self.prefixEnd(prefix))])
    }

    /// A new lease of `ttl` seconds; returns its id and the TTL etcd granted.
    public func grantLease(ttl: Int) throws(EtcdError) -> (id: Int64, ttl: Int) {
        let answer = try call("/lease/grant", ["TTL": String(ttl)])
        let id = Self.int(answer["ID"])
        guard id != 0 else { throw .malformed("a lease without an id") }
        return (id, Int(Self.int(answer["TTL"])))
    }

    /// Renews lease `id`; returns the TTL it has again, or throws `isLeaseGone` when it expired.
    public func keepAlive(_ id: Int64, timeout: Double? = nil) throws(EtcdError) -> Int {
        let answer = try call("/lease/keepalive", ["ID": String(id)], timeout: timeout)
        let ttl = Self.int((answer["result"] as? [String: Any])?["TTL"])
        guard ttl > 0 else { throw .refused(code: 5, message: "etcdserver: requested lease not found") }
        return Int(ttl)
    }

    /// Ends lease `id` now, deleting the keys attached to it.
    public func revoke(_ id: Int64) throws(EtcdError) {
        _ = try call("/lease/revoke", ["ID": String(id)])
    }

    /// The version, the current revision and the leader's member id of the endpoint that answers.
    public func status() throws(EtcdError) -> (version: String, revision: Int64, leader: String) {
        let answer = try call("/maintenance/status", [:])
        return (answer["version"] as? String ?? "?", Self.revision(answer), String(Self.int(answer["leader"])))
    }

    /// Follows every change under `prefix` from `revision` on: `receive` gets each batch of events with the
    /// revision it brings the watcher to, and returns false to stop. Blocks until then, or throws when the
    /// stream breaks (the caller watches again from the last revision it applied) or the revision was compacted.
    public func watch(prefix: String, from revision: Int64, receive: @escaping ([EtcdEvent], Int64) -> Bool) throws(EtcdError) {
        let request: [String: Any] = ["create_request": [
            "key": Self.encode(prefix), "range_end": Self.encode(Self.prefixEnd(prefix)), "start_revision": String(revision),
            "progress_notify": true,
        ]]
        let body = (try? JSONSerialization.data(withJSONObject: request)) ?? Data()
        let start = preferred.withLock { $0 }
        var reasons: [String] = []
        for step in 0..<endpoints.count {
            let index = (start + step) % endpoints.count
            final class State: @unchecked Sendable { var pending = Data(); var failure: EtcdError?; var stopped = false; var answered = false }
            let state = State()
            do {
                try HTTPClient.stream("POST", endpoints[index] + "/v3/watch", body: body, connectTimeout: timeout, tls: tls) { chunk in
                    state.answered = true
                    state.pending.append(chunk)
                    while let newline = state.pending.firstIndex(of: 0x0A) {
                        let line = state.pending[state.pending.startIndex..<newline]
                        state.pending = Data(state.pending[(newline + 1)...])
                        guard !line.isEmpty else { continue }
                        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
                            state.failure = .malformed("a watch message \(String(decoding: line.prefix(80), as: UTF8.self))")
                            return false
                        }
                        if let error = object["error"] as? [String: Any] {
                            state.failure = .refused(code: Int(Self.int(error["grpc_code"] ?? error["code"])), message: error["message"] as? String ?? "watch failed")
                            return false
                        }
                        let result = object["result"] as? [String: Any] ?? [:]
                        if result["canceled"] as? Bool == true {
                            let reason = result["cancel_reason"] as? String ?? ""
                            let compacted = Self.int(result["compact_revision"])
                            state.failure = .refused(code: 11, message: compacted > 0 ? "required revision has been compacted (to \(compacted))" : "watch canceled: \(reason)")
                            return false
                        }
                        let events = (result["events"] as? [[String: Any]] ?? []).map { event in
                            EtcdEvent(deleted: event["type"] as? String == "DELETE", keyValue: Self.keyValue(event["kv"] as? [String: Any] ?? [:]))
                        }
                        if !receive(events, Self.revision(result)) {
                            state.stopped = true
                            return false
                        }
                    }
                    return true
                }
            } catch {
                if !state.answered { reasons.append(error.description); continue }
                throw .unreachable([error.description])
            }
            preferred.withLock { $0 = index }
            if let failure = state.failure { throw failure }
            if state.stopped { return }
            throw .unreachable(["\(endpoints[index]) ended the watch"])
        }
        throw .unreachable(reasons)
    }
}
