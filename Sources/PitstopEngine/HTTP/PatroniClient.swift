public import Foundation
public import PitstopCore

/// A failure talking to one Patroni member, naming it.
public struct PatroniClientError: Error, Equatable, CustomStringConvertible {
    /// The member's REST API.
    public var url: String
    public var reason: String

    public var description: String { "Patroni at \(url): \(reason)" }
}

/// Patroni's REST API of one member (`http://HOST:8008`): what the runbooks and the discovery read and ask.
public struct PatroniClient: Sendable {
    /// The member's REST API base URL, without a trailing `/`.
    public var baseURL: String
    /// Seconds for each request.
    public var timeout: Double

    public init(_ baseURL: String, timeout: Double = 5) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/patroni") { url.removeLast("/patroni".count) }
        self.baseURL = url
        self.timeout = timeout
    }

    /// `GET /cluster`: every member, its role, state and lag, and whether the cluster is paused.
    public func cluster() throws(PatroniClientError) -> PatroniCluster {
        let response = try call("GET", "/cluster")
        do { return try PatroniCluster(json: response.body) } catch { throw PatroniClientError(url: baseURL, reason: error.description) }
    }

    /// `GET /patroni`: this member's scope, version, role, state and start time.
    public func status() throws(PatroniClientError) -> PatroniStatus {
        // A replica answers 503 on some health endpoints; /patroni answers 200 whatever the role.
        let response = try call("GET", "/patroni", accept: [200, 503])
        do { return try PatroniStatus(json: response.body) } catch { throw PatroniClientError(url: baseURL, reason: error.description) }
    }

    /// `GET /config`: the cluster's dynamic configuration.
    public func config() throws(PatroniClientError) -> [String: Any] {
        let response = try call("GET", "/config")
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw PatroniClientError(url: baseURL, reason: "GET /config is not a JSON object")
        }
        return object
    }

    /// `POST /switchover` from `leader` to `candidate`; Patroni answers when it is done (or refused).
    public func switchover(leader: String, candidate: String) throws(PatroniClientError) -> String {
        try call("POST", "/switchover", json: ["leader": leader, "candidate": candidate], timeout: max(timeout, 60)).text
    }

    /// `POST /restart` of this member; `onlyIfPending` restarts only if a setting needs it.
    public func restart(onlyIfPending: Bool) throws(PatroniClientError) -> String {
        var body: [String: Any] = [:]
        if onlyIfPending { body["restart_pending"] = true }
        return try call("POST", "/restart", json: body, timeout: max(timeout, 120)).text
    }

    /// `PATCH /config` with `changes` merged into the dynamic configuration.
    public func patchConfig(_ changes: [String: Any]) throws(PatroniClientError) -> String {
        try call("PATCH", "/config", json: changes).text
    }

    private func call(_ method: String, _ path: String, json: [String: Any]? = nil, accept: Set<Int> = [200, 201, 202],
                      timeout: Double? = nil) throws(PatroniClientError) -> HTTPResponse {
        let body = json.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        let response: HTTPResponse
        do {
            response = try HTTPClient.request(method, baseURL + path, body: body, timeout: timeout ?? self.timeout)
        } catch {
            throw PatroniClientError(url: baseURL, reason: error.description)
        }
        guard accept.contains(response.status) else {
            throw PatroniClientError(url: baseURL, reason: PatroniError.refused(status: response.status, body: response.text).description + " (\(method) \(path))")
        }
        return response
    }
}
