/// Where each part of the screen goes at a size; shared by rendering and by the reducer (paging, mouse).
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Rows between the header and the notification line.
    var body: Int { height - 3 }
    /// The task list: a header row plus rows.
    public var taskTop: Int { 1 }
    public var taskRows: Int { max(3, body * 2 / 5 - 1) }
    /// The resource pane: a title row, a header row, then rows.
    public var resourceTop: Int { taskTop + 1 + taskRows }
    public var resourceRows: Int { max(1, height - 2 - resourceTop - 2) }
    public var notificationRow: Int { height - 2 }
    public var footerRow: Int { height - 1 }
    /// Wide screens get full words; narrow ones abbreviations.
    public var isWide: Bool { width >= 170 }
}

extension AppState {
    public var layout: Layout { Layout(width: width, height: height) }
}
