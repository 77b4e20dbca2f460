/// Where each part of the screen goes at a size; shared by rendering and by the reducer (paging, mouse).
struct Layout: Equatable, Sendable {
    static let minimumWidth = 60
    static let minimumHeight = 16

    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Rows between the header and the notification line.
    var body: Int { height - 3 }
    /// The task list: a header row plus rows.
    var taskTop: Int { 1 }
    var taskRows: Int { max(3, body * 2 / 5 - 1) }
    /// The resource pane: a title row, a header row, then rows.
    var resourceTop: Int { taskTop + 1 + taskRows }
    var resourceRows: Int { max(1, height - 2 - resourceTop - 2) }
    var notificationRow: Int { height - 2 }
    var footerRow: Int { height - 1 }
    /// Wide screens get full words; narrow ones abbreviations.
    var isWide: Bool { width >= 170 }
}

extension AppState {
    var layout: Layout { Layout(width: width, height: height) }
}
