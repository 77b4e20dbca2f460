import PitstopText

/// One screen position: a grapheme and its style. The right half of a wide character is a continuation.
struct Cell: Equatable, Sendable {
    var character: Character
    var style: Style
    /// True for the second column of a two-column character: the backend skips it.
    var isContinuation: Bool

    static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}
