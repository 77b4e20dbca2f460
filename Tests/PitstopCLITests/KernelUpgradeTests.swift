import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §15's one test that needs a real reboot: `kernel-upgrade` run by a real `pitstop daemon` against a
/// Debian 12 virtual machine (`scripts/e2e/vm.sh`, QEMU with KVM where `/dev/kvm` works, TCG otherwise) that
/// boots the older of the two kernels this machine's apt sources offer. The checks ask the machine itself over
/// SSH, not Pitstop: a new boot id, the newest installed kernel running, PostgreSQL answering again.
@Suite(.serialized)
struct KernelUpgradeTests {
    static let vm = DatabaseServers.repository.appendingPathComponent("scripts/e2e/vm.sh").path
    /// Why no VM can start here, if none can: the only test of the suite allowed to be skipped.
    static let unavailable: String? = {
        for tool in ["/usr/bin/qemu-system-x86_64", "/usr/sbin/debugfs", "/usr/sbin/mkfs.ext4"] where access(tool, X_OK) != 0 {
            return "\(tool) is missing (scripts/setup.sh installs it)"
        }
        return nil
    }()

    let dir = ScratchDirectory("pitstop-kernel")

    /// Runs `ssh vm COMMAND` with the VM's ssh_config; the trimmed output.
    func onVM(_ config: String, _ command: String) throws -> String {
        let result = try runProcess("/usr/bin/ssh", ["-F", config, "-o", "BatchMode=yes", "vm", command])
        guard result.status == 0 else { throw FixtureError(message: "ssh vm \(command): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: unavailable == nil, "\(unavailable ?? "")"))
    func aKernelUpgradeRebootsTheMachineIntoTheNewestKernelAndItsServerComesBack() throws {
        let machine = dir.file("vm")
        let image = try runToExit(Self.vm, ["image"])
        try #require(image.status == 0, "scripts/e2e/vm.sh image: \(image.stderr)")
        let newKernel = image.stdout.split(separator: "\n").first { $0.hasPrefix("KERNEL_NEW=") }.map { String($0.dropFirst(11)) } ?? ""
        let started = try runToExit(Self.vm, ["start", machine, "127.0.60.1"])
        defer { _ = try? runToExit(Self.vm, ["stop", machine]) }
        try #require(started.status == 0, "the VM did not start: \(started.stderr)")
        let config = machine + "/ssh_config"
        let bootBefore = try onVM(config, "cat /proc/sys/kernel/random/boot_id")
        let kernelBefore = try onVM(config, "uname -r")
        #expect(try onVM(config, "sudo -n -u postgres psql -XAtc 'SELECT 1'") == "1")

        let store = dir.file("store")
        let cli = PitstopCommand(store: store, environment: ["PITSTOP_SSH_CONFIG": config])
        #expect(try cli.run(["store", "init"]).status == 0)
        try DatabaseServers.installRunbooks(into: store)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        let task: [String: Any] = [
            "id": "KERNEL", "title": "kernel upgrade", "service": "PostgreSQL", "requirement": "recommended", "downtime": true,
            "recommendedAt": "2027-01-01T00:00:00Z", "type": "kernel-upgrade", "retries": 0,
            "parameters": ["reboot_timeout_seconds": "900"],
            "executor": ["kind": "runbook", "name": "kernel-upgrade", "timeoutSeconds": 2400],
            "precheck": ["kind": "runbook", "name": "host-precheck"],
            "resources": [["id": "vm", "name": "pg-vm", "host": "vm"]],
        ]
        let file = dir.file("tasks.json")
        try JSONSerialization.data(withJSONObject: ["tasks": [task]]).write(to: URL(fileURLWithPath: file))
        #expect(try cli.run(["import", file]).status == 0)
        let rehearsal = try cli.run(["rehearse", "KERNEL"])
        #expect(rehearsal.status == 0 && rehearsal.stdout.contains("ready"), "\(rehearsal.stdout)")
        #expect(try onVM(config, "cat /proc/sys/kernel/random/boot_id") == bootBefore, "the rehearsal did not reboot it")

        let daemon = try cli.startDaemon()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }; daemon.waitUntilExit() }
        #expect(try cli.run(["reserve", "KERNEL", "vm", "--at", "now"]).status == 0)
        func status() throws -> String? {
            let json = try cli.run(["task", "KERNEL", "--json"]).stdout
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return (object?["resources"] as? [[String: Any]])?.first?["status"] as? String
        }
        let ended = try waitUntil(2400, every: 2) { try ["completed", "failed"].contains(status() ?? "") }
        let output = try cli.run(["output", "KERNEL", "vm"]).stdout
        #expect(ended, "the upgrade ended: \(output)")
        #expect(try status() == "completed", "\(output)")

        // The machine's own word.
        let kernelAfter = try onVM(config, "uname -r")
        #expect(try onVM(config, "cat /proc/sys/kernel/random/boot_id") != bootBefore, "it rebooted")
        #expect(kernelAfter != kernelBefore)
        #expect(try onVM(config, "ls /boot | sed -n 's/^vmlinuz-//p' | sort -V | tail -1") == kernelAfter, "the newest installed kernel runs")
        #expect(try onVM(config, "uname -v").contains(newKernel), "uname -v names \(newKernel)")
        #expect(try onVM(config, "sudo -n -u postgres psql -XAtc 'SELECT 1'") == "1", "PostgreSQL is back")
        print("kernel-upgrade: \(kernelBefore) → \(kernelAfter); \(output.split(separator: "\n").last ?? "")")
    }
}
