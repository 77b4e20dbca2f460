/// The environment variable a parameter or label reaches a command as: the prefix and the key upper-cased,
/// anything but ASCII letters and digits as `_`. Two keys that give one name would leave the command one of
/// them, whichever came last; import refuses them (SPEC §29).
public enum EnvironmentName {
    /// `PITSTOP_PARAM_` and `work-mem` give `PITSTOP_PARAM_WORK_MEM`.
    public static func of(_ prefix: String, _ key: String) -> String {
        prefix + String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The first pair of `keys` that give one variable, in sorted order; nil when none do.
    public static func collision(among keys: some Sequence<String>) -> (String, String)? {
        var seen: [String: String] = [:]
        for key in keys.sorted() {
            let name = of("", key)
            if let earlier = seen[name] { return (earlier, key) }
            seen[name] = key
        }
        return nil
    }
}
