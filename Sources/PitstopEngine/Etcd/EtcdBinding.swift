public import Foundation

/// What binds a store directory to one fleet in etcd (`replica.json`, written by `pitstop store init --etcd`):
/// the endpoints, the fleet's key prefix, and the TLS files. No secret is in it: the key stays in its own file.
public struct EtcdBinding: Sendable, Equatable {
    public var endpoints: [String]
    /// Every key of the fleet starts with it: `/pitstop/NAME`.
    public var prefix: String
    public var tls: TLSFiles?

    public init(endpoints: [String], prefix: String, tls: TLSFiles?) {
        self.endpoints = endpoints
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.tls = tls
    }

    /// The file's bytes.
    public var json: Data {
        var object: [String: Any] = ["kind": "etcd", "endpoints": endpoints, "prefix": prefix]
        if let tls {
            if let ca = tls.caFile { object["cacert"] = ca }
            if let cert = tls.certFile { object["cert"] = cert }
            if let key = tls.keyFile { object["key"] = key }
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    /// Reads a binding file; a malformed one is named.
    public init(json data: Data, path: String) throws(EtcdBindingError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], object["kind"] as? String == "etcd",
              let endpoints = object["endpoints"] as? [String], !endpoints.isEmpty, let prefix = object["prefix"] as? String
        else { throw EtcdBindingError(path: path, reason: "not an etcd binding (kind, endpoints and prefix are required)") }
        let ca = object["cacert"] as? String, cert = object["cert"] as? String, key = object["key"] as? String
        self.init(endpoints: endpoints, prefix: prefix, tls: ca == nil && cert == nil && key == nil ? nil : TLSFiles(caFile: ca, certFile: cert, keyFile: key))
    }

    /// Endpoints as given on the command line: comma-separated URLs; each must be http:// or https://.
    public static func endpoints(_ text: String) throws(EtcdBindingError) -> [String] {
        let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw EtcdBindingError(path: "--etcd", reason: "no endpoint given") }
        for url in list where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw EtcdBindingError(path: "--etcd", reason: "\(url) is not an http:// or https:// URL (etcd's client URL, e.g. https://10.0.0.1:2379)")
        }
        return list
    }
}

/// A binding that cannot be used, with why.
public struct EtcdBindingError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
