import EGovCore
import EGovPlatform
import Fluent
import Vapor

/// Authorisation rules, named, so handlers read "require(.usersManage, on: unit)" instead of `if` chains.
extension Request {
    /// The principal if it holds `permission` on the unit's subtree; 403 otherwise.
    @discardableResult
    public func require(_ permission: Permission, on unit: UnitModel) throws -> Principal {
        let principal = try principal()
        guard principal.can(permission, on: unit) else { throw EGovError.forbidden }
        return principal
    }

    /// The principal if it holds `permission` anywhere; 403 otherwise.
    @discardableResult
    public func require(_ permission: Permission) throws -> Principal {
        let principal = try principal()
        guard principal.holds(permission) else { throw EGovError.forbidden }
        return principal
    }

    /// A unit by its code, or 404 with a message naming it.
    public func unit(code: String) async throws -> UnitModel {
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == code).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có đơn vị mã “\(code)”.", en: "No unit with code “\(code)”."))
        }
        return unit
    }
}

extension QueryBuilder where Model == UnitModel {
    /// Only units inside one of the given subtrees.
    public func inside(_ scopes: [String]) -> Self {
        group(.or) { group in
            if scopes.isEmpty { group.filter(\.$path == "\u{0}") }
            for scope in scopes { group.filter(\.$path =~ scope) }
        }
    }
}
