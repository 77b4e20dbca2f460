import PitstopText

/// One screen position: a grapheme and its style. The right half of a wide character is a continuation.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: Style
    /// True for the second column of a two-column character: the backend skips it.
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}
