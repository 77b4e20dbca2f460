

/// A click or a wheel step at a screen position.
struct MouseEvent: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case click, wheelUp, wheelDown }
    var kind: Kind
    var x: Int
    var y: Int

    init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
