import EGovCore
import Fluent
import Foundation
import SQLKit

/// The one place a password changes. Whatever the route (the account's own change, an administrator's
/// or the command line's reset), every credential issued before ends with it: web sessions, refresh
/// tokens, and — through the account's epoch — access tokens.
public struct CredentialService: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public enum ChangeError: Error, Sendable, Equatable {
        case wrongCurrentPassword
        case weakPassword(ValidationError)

        /// The refusal as the field it concerns (`currentPassword` / `newPassword`, in the API and the form).
        public var fieldError: ValidationError {
            switch self {
            case .wrongCurrentPassword:
                ValidationError(field: "currentPassword", vi: "Mật khẩu hiện tại không đúng.", en: "The current password is wrong.")
            case .weakPassword(let weak):
                ValidationError(field: "newPassword", message: weak.message)
            }
        }
    }

    /// The account holder changes their own password, proving the current one.
    public func change(_ user: UserModel, current: String, new: String, clientAddress: String?, on db: any Database) async throws {
        guard try await services.passwords.verify(current, against: user.passwordHash) else { throw ChangeError.wrongCurrentPassword }
        do { try ContactDetails.checkPassword(new) } catch { throw ChangeError.weakPassword(error) }
        try await setPassword(user, to: new, actorName: user.username, action: "account.password-change", clientAddress: clientAddress, on: db)
    }

    /// Sets a new password (a reset by an operator, or a change already authorised) and ends every
    /// session and token of the account; unlocks it.
    public func setPassword(_ user: UserModel, to password: String, actorName: String, action: String, clientAddress: String?,
                            on db: any Database) async throws {
        let hash = try await services.passwords.hash(password)
        let id = try user.requireID()
        let now = services.clock.now()
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("""
                UPDATE \(ident: UserModel.schema) SET password_hash = \(bind: hash), failed_logins = 0, locked_until = NULL,
                    auth_epoch = auth_epoch + 1 WHERE id = \(bind: id)
                """).run()
            try await RefreshTokenModel.query(on: tx).filter(\.$user.$id == id).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
            try await SessionStore.endAll(userID: id, on: tx)
            try await AuditLog.record(AuditEntry(actorID: id, actorName: actorName, action: action, target: "user:\(user.username)",
                                                 clientAddress: clientAddress, summary: "password changed; sessions and tokens ended"),
                                      at: now, on: tx)
        }
        services.principals.invalidate(id)
        user.passwordHash = hash
        user.failedLogins = 0
        user.lockedUntil = nil
        user.authEpoch += 1
    }
}
