/// The version `pitstop --version` prints, with the store format it writes.
enum PitstopVersion {
    static let number = "0.3.0"
}
