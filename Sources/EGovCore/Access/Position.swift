/// Positions an officer holds at a unit. Each position is a role: it grants its permissions on the
/// whole subtree of the unit where it is held.
public enum Position: String, Codable, Sendable, CaseIterable {
    case leader, deputy, specialist, clerk, oneStopOfficer, admin

    public var label: LocalizedText {
        switch self {
        case .leader: LocalizedText(vi: "Lãnh đạo", en: "Leader")
        case .deputy: LocalizedText(vi: "Cấp phó", en: "Deputy")
        case .specialist: LocalizedText(vi: "Chuyên viên", en: "Specialist")
        case .clerk: LocalizedText(vi: "Văn thư", en: "Clerk")
        case .oneStopOfficer: LocalizedText(vi: "Cán bộ một cửa", en: "One-stop officer")
        case .admin: LocalizedText(vi: "Quản trị hệ thống", en: "Administrator")
        }
    }

    /// The platform permissions of each position. Modules add their own permissions to positions
    /// through their `permissions()` declarations.
    public var platformPermissions: Set<Permission> {
        switch self {
        case .admin: Set(Permission.platform)
        case .leader, .deputy: [.unitsRead, .usersRead, .auditRead]
        case .specialist, .clerk, .oneStopOfficer: [.unitsRead, .usersRead]
        }
    }
}
