// pitstop-fuzz: runs one fuzz target of PitstopFuzzing. Built with libFuzzer by `make fuzz`
// (-DPITSTOP_LIBFUZZER), the remaining arguments go to libFuzzer; built normally, it runs the seeded fuzzer.
import Foundation
import PitstopFuzzing

// Safe: set once below, before libFuzzer starts, and only read afterwards by the entry point libFuzzer calls
// on this same thread.
nonisolated(unsafe) var selected = FuzzTarget.snapshot

func usage() -> Never {
    let targets = FuzzTarget.allCases.map { "  \($0.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.summary)" }
    FileHandle.standardError.write(Data("""
        usage: pitstop-fuzz TARGET [libFuzzer options] [CORPUS_DIR...]     (built by make fuzz)
               pitstop-fuzz TARGET [--runs N] [--seed S] CORPUS_DIR...     (seeded, any build)
               pitstop-fuzz TARGET --replay FILE...
        targets:
        \(targets.joined(separator: "\n"))

        """.utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else { usage() }
selected = target

if arguments.count > 2 && arguments[2] == "--replay" {
    var failed = false
    for file in arguments.dropFirst(3) {
        guard let data = FileManager.default.contents(atPath: file) else { print("\(file): cannot read"); failed = true; continue }
        if let finding = target.run([UInt8](data)) { print("\(file): \(finding)"); failed = true } else { print("\(file): ok") }
    }
    exit(failed ? 1 : 0)
}

#if PITSTOP_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func runLibFuzzer(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

// libFuzzer sees the program name and everything after TARGET.
var driverArguments = [arguments[0]] + arguments.dropFirst(2)
var cArguments = driverArguments.map { strdup($0) } + [nil]
var count = CInt(driverArguments.count)
let status = cArguments.withUnsafeMutableBufferPointer { buffer in
    var pointer = buffer.baseAddress!
    return runLibFuzzer(&count, &pointer) { data, size in
        let input = UnsafeRawBufferPointer(start: data, count: size)
        if let finding = selected.run(input) {
            FileHandle.standardError.write(Data("finding: \(finding)\n".utf8))
            abort()
        }
        return 0
    }
}
exit(status)
#else
var runs = 100_000
var seed = UInt64(UInt32(truncatingIfNeeded: time(nil)))
var directories: [String] = []
var rest = arguments.dropFirst(2).makeIterator()
while let argument = rest.next() {
    switch argument {
    case "--runs":
        guard let value = rest.next().flatMap({ Int($0) }) else { usage() }
        runs = value
    case "--seed":
        guard let value = rest.next().flatMap({ UInt64($0) }) else { usage() }
        seed = value
    default: directories.append(argument)
    }
}
let corpus = directories.flatMap { SeededFuzzer.loadCorpus($0) }
var fuzzer = SeededFuzzer(target: target, corpus: corpus, seed: seed)
let started = Date()
if let (input, finding) = fuzzer.run(runs) {
    let file = "crash-\(target.rawValue)-\(seed)"
    FileManager.default.createFile(atPath: file, contents: Data(input))
    print("finding: \(finding)\ninput saved to \(file)")
    exit(1)
}
print("\(target.rawValue): \(runs) inputs from \(corpus.count) seeds, seed \(seed), no finding, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
#endif
