import Foundation
import PitstopCore
@testable import PitstopStore
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The owner's seal (SPEC §29): SHA-256 and HMAC-SHA-256 against published vectors, what the seal covers, and the
/// key file the engine trusts only when its owner and mode say that no one else could have made or read it.
@Suite struct OwnerKeyTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha256MatchesTheFIPSVectors() {
        #expect(Self.hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(Self.hex(SHA256.digest(Array(twoBlocks.utf8))) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.hex(SHA256.digest([UInt8](repeating: 0x61, count: 1_000_000))) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacMatchesRFC4231() {
        // Test case 1: a 20-byte key of 0x0b over "Hi There"; test case 2: "Jefe"; test case 6: a 131-byte key.
        #expect(OwnerKey(bytes: [UInt8](repeating: 0x0b, count: 20)).seal(Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(OwnerKey(bytes: Array("Jefe".utf8)).seal(Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(OwnerKey(bytes: [UInt8](repeating: 0xaa, count: 131)).seal(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    static func commandTask() -> MaintenanceTask {
        var task = StoreFixture.task("MT-1", machines: ["db-1"])
        task.executor = .command(CommandExecutor(argv: ["/usr/local/bin/patch", "--all"]))
        task.parameters = ["setting": "work_mem"]
        return task
    }

    @Test func theSealCoversTheCommandItsHooksAndParametersAndNothingElseVerifies() throws {
        let key = OwnerKey(bytes: Array(repeating: 7, count: 32))
        let task = Self.commandTask()
        let content = try #require(task.sealedContent)
        let seal = key.seal(content)
        #expect(key.verifies(seal, of: content))
        #expect(!OwnerKey(bytes: Array(repeating: 8, count: 32)).verifies(seal, of: content), "another key")
        #expect(!key.verifies(nil, of: content) && !key.verifies("", of: content) && !key.verifies(String(seal.dropLast()) + "0", of: content))
        var changed: [MaintenanceTask] = []
        for change in 0..<5 {
            var other = task
            switch change {
            case 0: other.id = "MT-2"
            case 1: other.executor = .command(CommandExecutor(argv: ["/usr/local/bin/patch", "--all", "--force"]))
            case 2: other.parameters["setting"] = "archive_command"
            case 3: other.hooks.precheck = .argv(["/bin/true"])
            default: other.executor = .command(CommandExecutor(argv: ["/usr/local/bin/patch", "--all"], workingDirectory: "/tmp"))
            }
            changed.append(other)
        }
        for other in changed { #expect(!key.verifies(seal, of: try #require(other.sealedContent)), "\(other)") }
        // A task that runs no command of its own needs no seal: a simulation, or runbooks by name.
        var runbook = task
        runbook.executor = .command(CommandExecutor(argv: [], runbook: "pg-restart"))
        runbook.hooks.precheck = .runbook("pg-lag-check")
        #expect(runbook.sealedContent == nil && StoreFixture.task("MT-3", machines: ["x"]).sealedContent == nil)
    }

    @Test func theOwnersImportIsSealedWithTheStoresKeyAndTheSealSurvivesTheFiles() throws {
        let dir = ScratchDirectory("pitstop-seal")
        let store = try Store.open(dir.file("store"))
        try store.mutate(.importTasks([Self.commandTask()]), context: StoreFixture.context())
        try store.mutate(.setPolicyValue(key: "notifyCommand", value: "[\"/usr/local/bin/notify\"]"), context: StoreFixture.context())
        let key = try #require(try OwnerKey.load(storeDirectory: store.directory))
        let reopened = try Store.open(dir.file("store"))
        let task = try #require(reopened.state.task(id: "MT-1"))
        #expect(key.verifies(task.ownerSeal, of: try #require(task.sealedContent)))
        #expect(key.verifies(reopened.state.policy.notifyCommandSeal, of: try #require(reopened.state.policy.notifySealedContent)))
        try reopened.compact()
        let compacted = try Store.open(dir.file("store"))
        #expect(compacted.state.task(id: "MT-1")?.ownerSeal == task.ownerSeal)
        // Another value of the policy keeps the seal of the notification command.
        try compacted.mutate(.setPolicyValue(key: "maxConcurrency", value: "3"), context: StoreFixture.context())
        #expect(compacted.state.policy.notifyCommandSeal == reopened.state.policy.notifyCommandSeal)
    }

    @Test func aKeyFileThatAnyoneButTheOwnerCouldHaveMadeOrReadIsRefused() throws {
        let dir = ScratchDirectory("pitstop-seal")
        let store = dir.file("store")
        mkdir(store, 0o700)
        let path = store + "/" + OwnerKey.fileName
        #expect(try OwnerKey.load(storeDirectory: store) == nil)
        let made = try OwnerKey.loadOrCreate(storeDirectory: store)
        #expect(try OwnerKey.load(storeDirectory: store)?.seal([1]) == made.seal([1]), "the same key is read back")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600 && info.st_nlink == 1)

        func refusal() -> String {
            do {
                _ = try OwnerKey.load(storeDirectory: store)
                return "accepted"
            } catch {
                return error.description
            }
        }
        chmod(path, 0o640)
        #expect(refusal().contains("its group or others may use it (mode 640)"), "\(refusal())")
        chmod(path, 0o600)
        if getuid() == 0 {
            chown(path, 65534, 65534)
            #expect(refusal().contains("belongs to uid 65534, not to the store's owner"), "\(refusal())")
            chown(path, 0, 0)
        }
        link(path, dir.file("second-name"))
        #expect(refusal().contains("other names"), "\(refusal())")
        unlink(dir.file("second-name"))
        rename(path, dir.file("moved"))
        symlink(dir.file("moved"), path)
        #expect(refusal().contains("symbolic link"), "\(refusal())")
    }
}
