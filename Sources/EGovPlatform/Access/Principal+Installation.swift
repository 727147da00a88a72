import EGovCore
import Fluent

extension Principal {
    /// Whether the principal holds `permission` on a top-level unit, i.e. over the whole installation: what
    /// installation-wide matters need (trusting an outside CA, reading every unit's audit events).
    public func holdsOverInstallation(_ permission: Permission, on db: any Database) async throws -> Bool {
        try await UnitModel.query(on: db).filter(\.$depth == 0).all().contains { can(permission, on: $0) }
    }
}
