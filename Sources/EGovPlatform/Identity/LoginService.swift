import EGovCore
import Fluent
import Foundation
import SQLKit

/// Why a sign-in was refused. The messages never say whether the account exists.
public enum LoginError: Error, Sendable, Equatable {
    case invalidCredentials
    case locked(until: Date)
}

/// Checks a username (or personal id number, or e-mail) and password, with lockout and back-off.
public struct LoginService: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    /// A bcrypt hash of nothing in particular, verified when the account does not exist so that the
    /// answer takes as long either way.
    private static let decoyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhu5p0uTpiEH0A9N1yDcm7Ggq6qBG2oHgG"

    public func authenticate(identifier raw: String, password: String, clientAddress: String?,
                             on db: any Database) async throws -> UserModel {
        let identifier = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await findUser(identifier, on: db), user.isActive else {
            _ = try await services.passwords.verify(password, against: Self.decoyHash)
            throw LoginError.invalidCredentials
        }
        let now = services.clock.now()
        if let until = user.lockedUntil, until > now {
            throw LoginError.locked(until: until)
        }
        guard try await services.passwords.verify(password, against: user.passwordHash) else {
            // Counted in the database, not read-modify-write around the slow hash: ten guesses sent
            // in parallel count ten.
            let id = try user.requireID()
            let until: Date? = try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { return nil }
                let row = try await sql.raw("""
                    UPDATE \(ident: UserModel.schema) SET failed_logins = failed_logins + 1 WHERE id = \(bind: id) RETURNING failed_logins
                    """).first()
                let failures = try row?.decode(column: "failed_logins", as: Int.self) ?? 1
                let lock = services.configuration.lockout.lockDuration(afterFailures: failures)
                let until = lock.map { now.addingTimeInterval($0) }
                if let until {
                    try await sql.raw("UPDATE \(ident: UserModel.schema) SET locked_until = \(bind: until) WHERE id = \(bind: id)").run()
                }
                try await AuditLog.record(
                    AuditEntry(actorID: user.id, actorName: user.username, action: until == nil ? "auth.login-failed" : "auth.locked",
                               target: "user:\(user.username)", clientAddress: clientAddress, summary: "failed attempts: \(failures)"),
                    at: now, on: tx)
                return until
            }
            if let until { throw LoginError.locked(until: until) }
            throw LoginError.invalidCredentials
        }
        if user.failedLogins != 0 || user.lockedUntil != nil {
            let id = try user.requireID()
            if let sql = db as? any SQLDatabase {
                try await sql.raw("""
                    UPDATE \(ident: UserModel.schema) SET failed_logins = 0, locked_until = NULL WHERE id = \(bind: id)
                    """).run()
            }
            user.failedLogins = 0
            user.lockedUntil = nil
        }
        return user
    }

    /// Officers sign in with their username; applicants with their personal id number or e-mail.
    public func findUser(_ identifier: String, on db: any Database) async throws -> UserModel? {
        if identifier.count == 12, identifier.allSatisfy(\.isNumber) {
            return try await UserModel.query(on: db).filter(\.$idNumberHash == services.personalData.lookupHash(identifier)).first()
        }
        if identifier.contains("@") {
            return try await UserModel.query(on: db).filter(\.$email == identifier).first()
        }
        return try await UserModel.query(on: db).filter(\.$username == identifier).first()
    }
}
