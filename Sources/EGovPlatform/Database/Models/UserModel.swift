import EGovCore
import Fluent
import Foundation

/// An account: an officer of a unit, or an applicant (citizen or business) who registered.
public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "core_users"

    public enum Kind: String, Codable, Sendable { case officer, applicant }

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "full_name") public var fullName: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "phone") public var phone: String?
    /// Keyed hash of the personal identification number, for look-up; the number itself is only
    /// stored encrypted (`id_number_sealed`).
    @OptionalField(key: "id_number_hash") public var idNumberHash: String?
    @OptionalField(key: "id_number_sealed") public var idNumberSealed: String?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "is_active") public var isActive: Bool
    @Field(key: "failed_logins") public var failedLogins: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    /// Raised whenever the password changes or is reset: access tokens of an older epoch stop working.
    @Field(key: "auth_epoch") public var authEpoch: Int
    /// When an officer confirmed this applicant's identity against their ID card at a counter. Only a
    /// verified account is linked to dossiers filed at a counter under its ID number.
    @OptionalField(key: "identity_verified_at") public var identityVerifiedAt: Date?
    @Children(for: \.$user) public var positions: [UserPositionModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID = UUID(), username: String, fullName: String, kind: Kind, email: String?, phone: String?,
                passwordHash: String) {
        self.id = id
        self.username = username
        self.fullName = fullName
        self.kind = kind.rawValue
        self.email = email
        self.phone = phone
        self.passwordHash = passwordHash
        self.isActive = true
        self.failedLogins = 0
        self.authEpoch = 0
    }

    public var userID: UserID? { id.map(UserID.init) }
    public var userKind: Kind { Kind(rawValue: kind) ?? .applicant }
}

/// A position held by an officer at a unit: the role grant, scoped to the unit's subtree.
public final class UserPositionModel: Model, @unchecked Sendable {
    public static let schema = "core_user_positions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Parent(key: "unit_id") public var unit: UnitModel
    @Field(key: "position") public var position: String

    public init() {}

    public init(userID: UUID, unitID: UUID, position: Position) {
        self.id = UUID()
        self.$user.id = userID
        self.$unit.id = unitID
        self.position = position.rawValue
    }
}

/// A refresh token (stored as its SHA-256 only). Using one revokes it and issues the next.
public final class RefreshTokenModel: Model, @unchecked Sendable {
    public static let schema = "core_refresh_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    /// Every token rotated out of one sign-in shares its family: a token used twice revokes them all.
    @OptionalField(key: "family_id") public var familyID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, tokenHash: String, expiresAt: Date, familyID: UUID) {
        self.id = UUID()
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.familyID = familyID
    }
}
