import Foundation

/// Positions an officer holds at a unit. Each position is a role: it grants its permissions on the
/// whole subtree of the unit where it is held.
///
/// An open registry, like `Permission`: the platform's six are built in, and a module declares its own
/// (a document clerk, an inspector) with `Position.register`, through `EGovModule.positions()`, without
/// editing Core. `init?(rawValue:)` knows only registered positions, so a pack or a request naming an
/// unknown one is refused.
public struct Position: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// A position by its name, registered or not (for declarations; parse input with `init?(rawValue:)`).
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A registered position, or nil.
    public init?(rawValue: String) {
        guard Self.registry.label(of: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    public static let leader = Position("leader")
    public static let deputy = Position("deputy")
    public static let specialist = Position("specialist")
    public static let clerk = Position("clerk")
    public static let oneStopOfficer = Position("oneStopOfficer")
    public static let admin = Position("admin")

    /// The platform's own positions, whatever modules add.
    public static let platform: [Position] = [.leader, .deputy, .specialist, .clerk, .oneStopOfficer, .admin]

    /// Every registered position: the platform's in their order, then the modules', in the order registered.
    public static var allCases: [Position] { registry.all.map { Position($0) } }

    /// Registers a module's positions (again with the same label is harmless).
    public static func register(_ position: Position, label: LocalizedText) {
        registry.add(position.rawValue, label)
    }

    public var label: LocalizedText { Self.registry.label(of: rawValue) ?? LocalizedText(vi: rawValue, en: rawValue) }

    /// The platform permissions of each position. Modules add their own permissions to positions
    /// through their `permissions()` declarations.
    public var platformPermissions: Set<Permission> {
        switch self {
        // The administrator runs the installation but does not seal the units' documents.
        case .admin: Set(Permission.platform).subtracting([.signaturesSeal])
        case .leader: [.unitsRead, .usersRead, .auditRead, .signaturesSeal]
        // A deputy signs for the leader (KT.) and approves results, which carry the unit's seal.
        case .deputy: [.unitsRead, .usersRead, .auditRead, .signaturesSeal]
        case .clerk: [.unitsRead, .usersRead, .signaturesSeal]
        case .specialist, .oneStopOfficer: [.unitsRead, .usersRead]
        default: []
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        // Stored values (process definitions, grants) keep a position even if its module is gone.
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static let registry = PositionRegistry(builtIn: [
        ("leader", LocalizedText(vi: "Lãnh đạo", en: "Leader")),
        ("deputy", LocalizedText(vi: "Cấp phó", en: "Deputy")),
        ("specialist", LocalizedText(vi: "Chuyên viên", en: "Specialist")),
        ("clerk", LocalizedText(vi: "Văn thư", en: "Clerk")),
        ("oneStopOfficer", LocalizedText(vi: "Cán bộ một cửa", en: "One-stop officer")),
        ("admin", LocalizedText(vi: "Quản trị hệ thống", en: "Administrator")),
    ])
}

/// The registered positions and their labels.
///
/// `@unchecked Sendable` is sound: `names` and `labels` are read and written only while holding `lock`.
private final class PositionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String]
    private var labels: [String: LocalizedText]

    init(builtIn: [(String, LocalizedText)]) {
        names = builtIn.map(\.0)
        labels = Dictionary(builtIn, uniquingKeysWith: { first, _ in first })
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return names
    }

    func label(of name: String) -> LocalizedText? {
        lock.lock()
        defer { lock.unlock() }
        return labels[name]
    }

    func add(_ name: String, _ label: LocalizedText) {
        lock.lock()
        defer { lock.unlock() }
        if labels[name] == nil { names.append(name) }
        labels[name] = label
    }
}
