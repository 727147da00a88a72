import EGovCore
import Vapor

/// A signed-in account and what it may do where. A browser session's is read on every request; a bearer token's
/// is kept a few seconds (`PrincipalCache`), so a position withdrawn elsewhere than this server ends within them,
/// even for a token issued before.
public struct Principal: Authenticatable, Sendable {
    public struct Grant: Sendable, Hashable {
        public let unitID: UUID
        public let unitCode: String
        public let unitPath: String
        public let unitType: UnitType?
        public let position: Position

        /// The unit whose work this position serves: a counter works for its commune or Service Centre.
        public var servedUnitPath: String {
            guard unitType == .counter else { return unitPath }
            let parts = unitPath.split(separator: "/")
            return parts.count > 1 ? "/" + parts.dropLast().joined(separator: "/") + "/" : unitPath
        }
    }

    public let id: UUID
    public let username: String
    public let fullName: String
    public let kind: UserModel.Kind
    public let grants: [Grant]
    public let permissionsByPosition: [Position: Set<Permission>]

    public var userID: UserID { UserID(id) }

    /// Paths of the unit subtrees on which this principal holds `permission`.
    public func scopes(for permission: Permission) -> [String] {
        grants.filter { permissionsByPosition[$0.position]?.contains(permission) == true }.map(\.unitPath)
    }

    public func can(_ permission: Permission, onUnitPath path: String) -> Bool {
        scopes(for: permission).contains { path.hasPrefix($0) }
    }

    public func can(_ permission: Permission, on unit: UnitModel) -> Bool {
        can(permission, onUnitPath: unit.path)
    }

    /// Whether the principal holds the permission anywhere at all.
    public func holds(_ permission: Permission) -> Bool { !scopes(for: permission).isEmpty }

    /// The unit an action is attributed to in the audit log: the first unit where the principal holds a position.
    public var primaryUnitCode: String? { grants.first?.unitCode }
}
