

/// A skin: an entry per role. Themes change shades, never the meaning (status symbols are always drawn).
package struct Theme: Equatable, Sendable {
    var name: String
    var entries: [ColorRole: ThemeEntry]

    subscript(role: ColorRole) -> ThemeEntry { entries[role] ?? ThemeEntry() }

    /// The theme used when no file is given or a file is bad. `Themes/default` holds the same values.
    static let builtIn = Theme(name: "default", entries: [
        .text: ThemeEntry(), .dim: ThemeEntry(.index(244)), .header: ThemeEntry(.index(255), on: .index(24), bold: true),
        .headerAccent: ThemeEntry(.index(220), on: .index(24), bold: true), .footer: ThemeEntry(.index(250), on: .index(236)),
        .footerKey: ThemeEntry(.index(220), on: .index(236), bold: true), .selection: ThemeEntry(.default, on: .index(238)),
        .border: ThemeEntry(.index(240)), .title: ThemeEntry(.index(75), bold: true), .badge: ThemeEntry(.index(214), bold: true),
        .downtime: ThemeEntry(.index(203), bold: true), .accent: ThemeEntry(.index(75)), .error: ThemeEntry(.index(196), bold: true),
        .warning: ThemeEntry(.index(214)), .overlay: ThemeEntry(.default, on: .index(235)), .input: ThemeEntry(.index(231), on: .index(24)),
        .pending: ThemeEntry(.index(246)), .reserved: ThemeEntry(.index(157)), .inProgress: ThemeEntry(.index(46), bold: true),
        .completed: ThemeEntry(.index(28)), .failed: ThemeEntry(.index(196), bold: true), .excluded: ThemeEntry(.index(240)),
    ])

    /// What `--no-color` and `NO_COLOR` use: attributes only.
    static let monochrome: Theme = {
        var entries: [ColorRole: ThemeEntry] = [:]
        for role in ColorRole.allCases { entries[role] = ThemeEntry() }
        entries[.header] = ThemeEntry(reverse: true)
        entries[.headerAccent] = ThemeEntry(bold: true, reverse: true)
        entries[.footer] = ThemeEntry(reverse: true)
        entries[.footerKey] = ThemeEntry(bold: true, reverse: true)
        entries[.selection] = ThemeEntry(reverse: true)
        entries[.title] = ThemeEntry(bold: true)
        entries[.badge] = ThemeEntry(bold: true)
        entries[.downtime] = ThemeEntry(bold: true)
        entries[.error] = ThemeEntry(bold: true)
        entries[.failed] = ThemeEntry(bold: true)
        entries[.inProgress] = ThemeEntry(bold: true)
        entries[.input] = ThemeEntry(underline: true)
        return Theme(name: "monochrome", entries: entries)
    }()
}
