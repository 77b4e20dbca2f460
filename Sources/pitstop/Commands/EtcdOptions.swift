import ArgumentParser
import Foundation
import PitstopEngine

/// Where a fleet in etcd is (`store init --etcd`): endpoints, prefix and TLS files, the files also from the
/// variables etcdctl reads (`ETCDCTL_CACERT`, `ETCDCTL_CERT`, `ETCDCTL_KEY`).
struct EtcdOptions: ParsableArguments {
    @Option(name: .customLong("etcd"), help: "Keep the fleet in etcd: its client URLs, comma-separated (https://10.0.0.1:2379,…).")
    var endpoints: String?

    @Option(help: "The fleet's key prefix in etcd (default /pitstop/default).")
    var prefix: String = "/pitstop/default"

    @Option(name: .customLong("etcd-cacert"), help: "The CA that signed etcd's certificates (default: $ETCDCTL_CACERT).")
    var caFile: String?

    @Option(name: .customLong("etcd-cert"), help: "This client's certificate (default: $ETCDCTL_CERT).")
    var certFile: String?

    @Option(name: .customLong("etcd-key"), help: "This client's key (default: $ETCDCTL_KEY).")
    var keyFile: String?

    /// The binding asked for, or nil without --etcd. Files are made absolute and must be readable.
    func binding(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EtcdBinding? {
        guard let endpoints else {
            if caFile != nil || certFile != nil || keyFile != nil || prefix != "/pitstop/default" {
                throw CLIError("--prefix and --etcd-* need --etcd URL[,URL…]")
            }
            return nil
        }
        guard prefix.hasPrefix("/"), prefix.count > 1, !prefix.contains("//") else {
            throw CLIError("--prefix \(prefix): give a key prefix such as /pitstop/orders (a leading /, no empty part)")
        }
        func file(_ given: String?, _ variable: String) throws -> String? {
            guard let path = given ?? environment[variable].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            guard FileManager.default.isReadableFile(atPath: absolute) else {
                throw CLIError("\(absolute) (\(given == nil ? "$\(variable)" : "the etcd TLS file given")) cannot be read")
            }
            return absolute
        }
        let ca = try file(caFile, "ETCDCTL_CACERT"), cert = try file(certFile, "ETCDCTL_CERT"), key = try file(keyFile, "ETCDCTL_KEY")
        if (cert == nil) != (key == nil) { throw CLIError("--etcd-cert and --etcd-key go together: a client certificate needs its key") }
        let list: [String]
        do { list = try EtcdBinding.endpoints(endpoints) } catch { throw CLIError(error.description) }
        return EtcdBinding(endpoints: list, prefix: prefix, tls: ca == nil && cert == nil ? nil : TLSFiles(caFile: ca, certFile: cert, keyFile: key))
    }
}
