import EGovCore
import Fluent
import Foundation

public enum PrincipalLoader {
    /// The active account with its positions, or nil if it no longer exists or was disabled.
    /// With `epoch`, only if the account's credentials have not changed since (an access token's `ep`).
    public static func load(_ userID: UUID, epoch: Int? = nil, catalog: PermissionCatalog, on db: any Database) async throws -> Principal? {
        guard let user = try await UserModel.find(userID, on: db), user.isActive else { return nil }
        if let epoch, epoch != user.authEpoch { return nil }
        return try await principal(for: user, catalog: catalog, on: db)
    }

    public static func principal(for user: UserModel, catalog: PermissionCatalog, on db: any Database) async throws -> Principal {
        let userID = try user.requireID()
        let rows = try await UserPositionModel.query(on: db).filter(\.$user.$id == userID).with(\.$unit).all()
        let grants = rows.compactMap { row -> Principal.Grant? in
            guard let position = Position(rawValue: row.position), let unitID = row.unit.id else { return nil }
            return Principal.Grant(unitID: unitID, unitCode: row.unit.code, unitPath: row.unit.path, unitType: row.unit.unitType, position: position)
        }.sorted { ($0.unitPath.count, $0.unitCode, $0.position.rawValue) < ($1.unitPath.count, $1.unitCode, $1.position.rawValue) }
        return Principal(id: userID, username: user.username, fullName: user.fullName, kind: user.userKind,
                         grants: grants, permissionsByPosition: catalog.byPosition)
    }
}
