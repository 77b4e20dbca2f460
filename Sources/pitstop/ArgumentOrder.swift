/// Lets global options come before the subcommand (`pitstop --store X tasks`), as the spec writes them.
/// ArgumentParser only reads a subcommand's own options after its name, so the globals are moved there.
enum ArgumentOrder {
    static let flags: Set<String> = ["--readonly", "--no-color"]
    static let valued: Set<String> = ["--store", "--theme"]

    static func normalized(_ arguments: [String], subcommands: [String: Set<String>]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) {
                globals.append(argument)
                index += 1
            } else if valued.contains(name) {
                globals.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    globals.append(arguments[index + 1])
                    index += 1
                }
                index += 1
            } else {
                break
            }
        }
        guard index < arguments.count, let nested = subcommands[arguments[index]] else { return arguments }
        var path = [arguments[index]]
        index += 1
        if index < arguments.count, nested.contains(arguments[index]) {
            path.append(arguments[index])
            index += 1
        }
        return path + globals + negativeValuesAsPositional(Array(arguments[index...]), path: path)
    }

    /// `policy set maxConcurrency -3`: a negative number is a value, never an option (no option of Pitstop
    /// starts with a digit), so it goes after `--` and reaches the validator, which says what is allowed.
    static func negativeValuesAsPositional(_ rest: [String], path: [String]) -> [String] {
        guard path == ["policy", "set"], !rest.contains("--"),
            let index = rest.firstIndex(where: { $0.count > 1 && $0.hasPrefix("-") && $0.dropFirst().first?.isNumber == true })
        else { return rest }
        return Array(rest[..<index]) + ["--"] + Array(rest[index...])
    }
}
