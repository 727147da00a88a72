import Fluent
import Foundation

/// `core_pki_authorities`: the locality's certificate authority, a root and the issuing CA below it. Each
/// key is sealed under the administrator's CA passphrase, needed only to issue and revoke.
final class AuthorityModel: Model, @unchecked Sendable {
    static let schema = "core_pki_authorities"

    /// `tsa`: the time-stamping authority's certificate, its key sealed under the installation's secret instead.
    enum Kind: String, Codable, Sendable { case root, issuing, tsa }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "certificate_pem") var certificatePEM: String
    /// `SealedSecret` JSON of the private key's DER.
    @Field(key: "sealed_key") var sealedKey: String
    /// The issuing CA's current CRL (PEM) and its number, re-signed at each revocation.
    @OptionalField(key: "crl_pem") var crlPEM: String?
    @Field(key: "crl_number") var crlNumber: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(kind: Kind, certificatePEM: String, sealedKey: String, at date: Date) {
        self.id = UUID()
        self.kind = kind.rawValue
        self.certificatePEM = certificatePEM
        self.sealedKey = sealedKey
        self.crlNumber = 0
        self.createdAt = date
    }
}

/// `core_pki_certificates`: a signing certificate of an officer (or, later, a unit's seal), with its key
/// sealed under the holder's signing PIN; five wrong PINs lock it.
public final class SigningCertificateModel: Model, @unchecked Sendable {
    public static let schema = "core_pki_certificates"

    public enum Status: String, Codable, Sendable { case valid, revoked }

    @ID(key: .id) public var id: UUID?
    /// Lower-case hex of the serial number.
    @Field(key: "serial") public var serial: String
    @OptionalField(key: "user_id") public var userID: UUID?
    @OptionalField(key: "unit_id") public var unitID: UUID?
    @Field(key: "subject") public var subject: String
    @Field(key: "not_before") public var notBefore: Date
    @Field(key: "not_after") public var notAfter: Date
    @Field(key: "status") public var status: String
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @OptionalField(key: "revocation_reason") public var revocationReason: String?
    @Field(key: "certificate_pem") public var certificatePEM: String
    @Field(key: "sealed_key") var sealedKey: String
    @Field(key: "pin_failures") public var pinFailures: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

struct M010_CreatePKI: AsyncMigration {
    var name: String { "core.010.create-pki" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuthorityModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("certificate_pem", .string, .required)
            .field("sealed_key", .string, .required)
            .field("crl_pem", .string)
            .field("crl_number", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "kind")
            .create()
        try await database.schema(SigningCertificateModel.schema)
            .id()
            .field("serial", .string, .required)
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("unit_id", .uuid, .references(UnitModel.schema, "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("not_before", .datetime, .required)
            .field("not_after", .datetime, .required)
            .field("status", .string, .required)
            .field("revoked_at", .datetime)
            .field("revocation_reason", .string)
            .field("certificate_pem", .string, .required)
            .field("sealed_key", .string, .required)
            .field("pin_failures", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "serial")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SigningCertificateModel.schema).delete()
        try await database.schema(AuthorityModel.schema).delete()
    }
}
