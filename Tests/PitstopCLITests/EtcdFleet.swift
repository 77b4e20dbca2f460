import Foundation
import PitstopTestSupport

/// A real three-member etcd with TLS (`scripts/etcd-cluster.sh`) and the `store init` arguments that bind a
/// host's directory to one fleet in it, for the several-hosts suites; stopped when `stop()` is called.
struct EtcdFleet {
    let script: ServerScript
    /// What the script printed: endpoints, the trusted client's files and a stranger's.
    let values: [String: String]
    /// `--etcd … --prefix … --etcd-cacert … --etcd-cert … --etcd-key …`
    let bind: [String]

    init(in directory: String, prefix: String) throws {
        script = ServerScript("etcd-cluster.sh", directory: directory)
        values = try script.start()
        guard let endpoints = values["ETCD_ENDPOINTS"], let ca = values["ETCD_CACERT"], let cert = values["ETCD_CERT"], let key = values["ETCD_KEY"] else {
            throw script.missing(values)
        }
        bind = ["--etcd", endpoints, "--prefix", prefix, "--etcd-cacert", ca, "--etcd-cert", cert, "--etcd-key", key]
    }

    func stop() { script.stop() }
    /// `kill NAME`, `revive NAME` of the script.
    func run(_ command: String, _ member: String) throws { try script.run(command, [member]) }
}
