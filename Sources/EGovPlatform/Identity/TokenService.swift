import Crypto
import Fluent
import Foundation
import JWT
import SQLKit
import Vapor

/// The claims of a short-lived access token.
public struct AccessTokenPayload: JWTPayload {
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var kind: String
    /// The account's `auth_epoch` when issued: a password change ends the token at once.
    public var ep: Int?

    /// The signature is checked by the key collection; expiry is checked by the caller against the
    /// installation clock (`isExpired(at:)`), so that tests and replays of time are consistent.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public func isExpired(at now: Date) -> Bool { exp.value <= now }
}

public struct TokenPair: Content, Sendable {
    public var access_token: String
    public var refresh_token: String
    public var token_type: String
    public var expires_in: Int
}

/// Issues access tokens (JWT, HS256) and opaque refresh tokens that rotate on every use.
public struct TokenService: Sendable {
    let services: PlatformServices
    let keys: JWTKeyCollection

    public init(services: PlatformServices, keys: JWTKeyCollection) {
        self.services = services
        self.keys = keys
    }

    public enum RefreshError: Error { case invalid }

    public func issue(for user: UserModel, family: UUID = UUID(), on db: any Database) async throws -> TokenPair {
        let now = services.clock.now()
        let lifetime = services.configuration.accessTokenLifetime
        let payload = AccessTokenPayload(sub: .init(value: try user.requireID().uuidString), exp: .init(value: now.addingTimeInterval(lifetime)),
                                         iat: .init(value: now), kind: user.kind, ep: user.authEpoch)
        let access = try await keys.sign(payload)
        let refresh = RandomToken.make()
        try await RefreshTokenModel(userID: try user.requireID(), tokenHash: Self.digest(refresh),
                                    expiresAt: now.addingTimeInterval(services.configuration.refreshTokenLifetime), familyID: family)
            .create(on: db)
        return TokenPair(access_token: access, refresh_token: refresh, token_type: "Bearer", expires_in: Int(lifetime))
    }

    /// Revokes the presented refresh token and issues the next of its family. The revocation is one
    /// conditional update, so of two concurrent uses exactly one wins. A token presented again after
    /// its rotation (stolen and replayed, or replayed by the thief's victim) revokes the whole family.
    public func refresh(_ token: String, on db: any Database) async throws -> TokenPair {
        let now = services.clock.now()
        let hash = Self.digest(token)
        let pair: TokenPair? = try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw RefreshError.invalid }
            let claimed = try await sql.raw("""
                UPDATE \(ident: RefreshTokenModel.schema) SET revoked_at = \(bind: now)
                WHERE token_hash = \(bind: hash) AND revoked_at IS NULL AND expires_at > \(bind: now) RETURNING id
                """).all()
            guard !claimed.isEmpty, let row = try await RefreshTokenModel.query(on: tx).filter(\.$tokenHash == hash).first(),
                  let user = try await UserModel.find(row.$user.id, on: tx), user.isActive
            else { return nil }
            return try await issue(for: user, family: row.familyID ?? row.id ?? UUID(), on: tx)
        }
        if let pair { return pair }
        // Not usable: if it existed and had been rotated, someone holds a copy — end its family.
        if let row = try await RefreshTokenModel.query(on: db).filter(\.$tokenHash == hash).first(), row.revokedAt != nil {
            let family = row.familyID ?? row.id
            try await RefreshTokenModel.query(on: db).group(.or) { group in
                group.filter(\.$familyID == family)
                if let id = row.id { group.filter(\.$id == id) }
            }.filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
        }
        throw RefreshError.invalid
    }

    static func digest(_ token: String) -> String {
        Digests.sha256Hex(token)
    }
}
