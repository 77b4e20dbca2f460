import Foundation
import PitstopCore

/// Which pane keys go to.
public enum Focus: Equatable, Sendable { case tasks, resources }
