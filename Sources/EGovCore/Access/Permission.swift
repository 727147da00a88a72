/// A named right, always exercised on a unit subtree. Modules declare their own
/// (`public-services.dossiers.receive`, …); the platform's are below.
public struct Permission: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public var description: String { name }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }

    public static let unitsRead = Permission("units.read")
    public static let unitsManage = Permission("units.manage")
    public static let usersRead = Permission("users.read")
    public static let usersManage = Permission("users.manage")
    public static let rolesManage = Permission("roles.manage")
    public static let auditRead = Permission("audit.read")
    /// Decides which outside certificate authorities the installation trusts.
    public static let pkiManage = Permission("pki.manage")
    /// Signs with the unit's seal (con dấu số): the unit's clerk and leader.
    public static let signaturesSeal = Permission("signatures.seal")

    public static let platform: [Permission] = [.unitsRead, .unitsManage, .usersRead, .usersManage, .rolesManage, .auditRead, .pkiManage, .signaturesSeal]
}
