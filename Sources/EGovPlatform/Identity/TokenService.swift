import Crypto
import Fluent
import Foundation
import JWT
import Vapor

/// The claims of a short-lived access token.
public struct AccessTokenPayload: JWTPayload {
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var kind: String

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

    public func issue(for user: UserModel, on db: any Database) async throws -> TokenPair {
        let now = services.clock.now()
        let lifetime = services.configuration.accessTokenLifetime
        let payload = AccessTokenPayload(sub: .init(value: try user.requireID().uuidString), exp: .init(value: now.addingTimeInterval(lifetime)),
                                         iat: .init(value: now), kind: user.kind)
        let access = try await keys.sign(payload)
        let refresh = Self.randomToken()
        try await RefreshTokenModel(userID: try user.requireID(), tokenHash: Self.digest(refresh),
                                    expiresAt: now.addingTimeInterval(services.configuration.refreshTokenLifetime)).create(on: db)
        return TokenPair(access_token: access, refresh_token: refresh, token_type: "Bearer", expires_in: Int(lifetime))
    }

    /// Revokes the presented refresh token and issues a new pair. A token used twice is refused.
    public func refresh(_ token: String, on db: any Database) async throws -> TokenPair {
        let now = services.clock.now()
        return try await db.transaction { tx in
            guard let row = try await RefreshTokenModel.query(on: tx).filter(\.$tokenHash == Self.digest(token)).first(),
                  row.revokedAt == nil, row.expiresAt > now,
                  let user = try await UserModel.find(row.$user.id, on: tx), user.isActive
            else { throw RefreshError.invalid }
            row.revokedAt = now
            try await row.save(on: tx)
            return try await issue(for: user, on: tx)
        }
    }

    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        Digests.sha256Hex(token)
    }
}
