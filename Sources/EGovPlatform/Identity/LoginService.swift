import EGovCore
import Fluent
import Foundation

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
            user.failedLogins += 1
            let lock = services.configuration.lockout.lockDuration(afterFailures: user.failedLogins)
            user.lockedUntil = lock.map { now.addingTimeInterval($0) }
            try await db.transaction { tx in
                try await user.save(on: tx)
                try await AuditLog.record(
                    AuditEntry(actorID: user.id, actorName: user.username, action: lock == nil ? "auth.login-failed" : "auth.locked",
                               target: "user:\(user.username)", clientAddress: clientAddress,
                               summary: "failed attempts: \(user.failedLogins)"),
                    at: now, on: tx)
            }
            if let until = user.lockedUntil { throw LoginError.locked(until: until) }
            throw LoginError.invalidCredentials
        }
        if user.failedLogins != 0 || user.lockedUntil != nil {
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
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
