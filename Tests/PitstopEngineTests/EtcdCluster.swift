import Foundation
import PitstopEngine
import PitstopStore
import PitstopTestSupport

/// A real three-member etcd cluster with TLS and client certificates (`scripts/etcd-cluster.sh`) in a directory
/// of its own on free loopback ports, stopped when the value is released or `stop()` is called.
final class EtcdCluster {
    let script: ServerScript
    /// `https://127.0.0.1:PORT` of e1, e2, e3.
    let endpoints: [String]
    /// The CA and the client certificate the cluster trusts.
    let tls: TLSFiles
    /// A client certificate from another CA, which the cluster refuses.
    let stranger: TLSFiles
    private var stopped = false

    init(in directory: String) throws {
        script = ServerScript("etcd-cluster.sh", directory: directory)
        let values = try script.start()
        guard let endpoints = values["ETCD_ENDPOINTS"]?.split(separator: ",").map(String.init), endpoints.count == 3,
              let ca = values["ETCD_CACERT"], let cert = values["ETCD_CERT"], let key = values["ETCD_KEY"],
              let strangerCert = values["STRANGER_CERT"], let strangerKey = values["STRANGER_KEY"] else { throw script.missing(values) }
        self.endpoints = endpoints
        tls = TLSFiles(caFile: ca, certFile: cert, keyFile: key)
        stranger = TLSFiles(caFile: ca, certFile: strangerCert, keyFile: strangerKey)
    }

    deinit { stop() }

    func stop() {
        guard !stopped else { return }
        stopped = true
        script.stop()
    }

    /// A client of every member, trusted.
    func client(timeout: Double = 5) -> EtcdClient { EtcdClient(endpoints: endpoints, tls: tls, timeout: timeout) }

    /// SIGKILL of member `name` (e1, e2, e3), and starting it again on its data.
    func kill(_ name: String) throws { try script.run("kill", [name]) }
    func revive(_ name: String) throws { try script.run("revive", [name]) }
}

/// A new store at `path` bound to the fleet `binding` names (as `store init --etcd` makes one), opened.
func boundStore(_ path: String, _ binding: EtcdBinding) throws -> Store {
    EtcdReplica.register()
    return try StoreReplicas.createBound(path, binding: binding.json)
}
