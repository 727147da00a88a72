import Crypto
import EGovCore
import Fluent
import Foundation
import SwiftASN1
import Vapor
import X509

/// `core_pki_outside_crls`: the newest CRL of each outside CA trusted here (issue 13 §2: verification says
/// whether the certificate was revoked at signing time, for signatures made elsewhere too).
final class OutsideCRLModel: Model, @unchecked Sendable {
    static let schema = "core_pki_outside_crls"

    @ID(key: .id) var id: UUID?
    /// The fingerprint of the trusted CA certificate that signed it (`core_pki_trusted.fingerprint`).
    @Field(key: "ca_fingerprint") var caFingerprint: String
    @Field(key: "crl_der") var crlDER: Data
    @Field(key: "this_update") var thisUpdate: Date
    @OptionalField(key: "next_update") var nextUpdate: Date?
    @Field(key: "added_by") var addedBy: String
    @Field(key: "added_at") var addedAt: Date

    init() {}
}

struct M014_CreateOutsideCRLs: AsyncMigration {
    var name: String { "core.014.create-outside-crls" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OutsideCRLModel.schema)
            .id()
            .field("ca_fingerprint", .string, .required)
            .field("crl_der", .data, .required)
            .field("this_update", .datetime, .required)
            .field("next_update", .datetime)
            .field("added_by", .string, .required)
            .field("added_at", .datetime, .required)
            .unique(on: "ca_fingerprint")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutsideCRLModel.schema).delete()
    }
}

/// Outside CAs' CRLs: checked against the CA that signed them when added, consulted when a signature by one of
/// their certificates is verified.
public enum OutsideRevocation {
    /// What a CRL says (RFC 5280 §5.1), as far as verification needs it.
    struct List {
        let issuer: DistinguishedName
        let thisUpdate: Date
        let nextUpdate: Date?
        /// Revoked serials (big-endian, no leading zeros) and when.
        let revoked: [[UInt8]: Date]
        let tbs: [UInt8]
        let signature: [UInt8]
        let algorithm: Certificate.SignatureAlgorithm

        static let maxBytes = 8 << 20

        init(der: [UInt8]) throws {
            let malformed = EGovError.validation([ValidationError(field: "crl", vi: "Tệp không phải danh sách thu hồi chứng thư (CRL) hợp lệ.",
                                                                  en: "The file is not a valid certificate revocation list (CRL).")])
            guard der.count <= Self.maxBytes, let root = try? DER.parse(der), root.identifier == .sequence else { throw malformed }
            let parts = DERBytes.children(root)
            guard parts.count == 3, parts[0].identifier == .sequence, let signature = try? ASN1BitString(derEncoded: parts[2]),
                  let oid = DERBytes.children(parts[1]).first.flatMap({ try? ASN1ObjectIdentifier(derEncoded: $0) }),
                  let algorithm = Self.algorithms[oid] else { throw malformed }
            var fields = DERBytes.children(parts[0])[...]
            if fields.first?.identifier == .integer { fields = fields.dropFirst() } // v2
            fields = fields.dropFirst() // the signature algorithm, again
            guard let issuerNode = fields.popFirst(), let issuer = try? DistinguishedName(derEncoded: issuerNode),
                  let thisNode = fields.popFirst(), let thisUpdate = DERBytes.date(thisNode) else { throw malformed }
            var nextUpdate: Date?
            if let next = fields.first, let date = DERBytes.date(next) {
                nextUpdate = date
                fields = fields.dropFirst()
            }
            var revoked: [[UInt8]: Date] = [:]
            if let list = fields.first, list.identifier == .sequence {
                for entry in DERBytes.children(list) {
                    let items = DERBytes.children(entry)
                    guard items.count >= 2, items[0].identifier == .integer, let date = DERBytes.date(items[1]) else { throw malformed }
                    revoked[Self.normalised(DERBytes.primitive(items[0]))] = date
                }
            }
            self.issuer = issuer
            (self.thisUpdate, self.nextUpdate, self.revoked, self.algorithm) = (thisUpdate, nextUpdate, revoked, algorithm)
            tbs = Array(parts[0].encodedBytes)
            self.signature = Array(signature.bytes)
        }

        static let algorithms: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
            [1, 2, 840, 113_549, 1, 1, 11]: .sha256WithRSAEncryption, [1, 2, 840, 113_549, 1, 1, 12]: .sha384WithRSAEncryption,
            [1, 2, 840, 113_549, 1, 1, 13]: .sha512WithRSAEncryption, [1, 2, 840, 10_045, 4, 3, 2]: .ecdsaWithSHA256,
            [1, 2, 840, 10_045, 4, 3, 3]: .ecdsaWithSHA384, [1, 2, 840, 10_045, 4, 3, 4]: .ecdsaWithSHA512,
        ]

        static func normalised(_ serial: [UInt8]) -> [UInt8] { Array(serial.drop { $0 == 0 }) }

        func signed(by authority: Certificate) -> Bool {
            authority.subject == issuer && authority.publicKey.isValidSignature(signature, for: tbs, signatureAlgorithm: algorithm)
        }
    }

    /// What was kept: the CA, the CRL's dates and how many certificates it revokes.
    public struct Added: Content, Sendable {
        public let issuer: String
        public let thisUpdate: Date
        public let nextUpdate: Date?
        public let revoked: Int
    }

    /// Keeps `bytes` (a CRL, DER or PEM) as the CRL of the trusted outside CA that signed it, in place of an older one.
    public static func add(_ bytes: [UInt8], by username: String, at now: Date, on db: any Database) async throws -> Added {
        var der = bytes
        if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN X509 CRL-----") {
            guard let document = try? PEMDocument(pemString: text), document.discriminator == "X509 CRL" else {
                throw EGovError.validation([ValidationError(field: "crl", vi: "Khối PEM không phải “X509 CRL”.", en: "The PEM block is not an “X509 CRL”.")])
            }
            der = document.derBytes
        }
        let list = try List(der: der)
        let trusted = try await TrustedAuthorityModel.query(on: db).all()
        guard let authority = trusted.first(where: { model in (try? Certificate(pemEncoded: model.certificatePEM)).map(list.signed) ?? false }) else {
            throw EGovError.validation([ValidationError(
                field: "crl", vi: "CRL không do một tổ chức chứng thực bên ngoài được tin cậy ký (hãy tin cậy CA đó trước).",
                en: "The CRL is not signed by a trusted outside CA (trust that CA first).")])
        }
        let existing = try await OutsideCRLModel.query(on: db).filter(\.$caFingerprint == authority.fingerprint).first()
        if let existing, existing.thisUpdate >= list.thisUpdate {
            throw EGovError.conflict(ValidationError(field: "crl", vi: "Đã có CRL mới hơn hoặc cùng ngày của CA này.",
                                                     en: "A CRL of this CA as new or newer is already here."))
        }
        let model = existing ?? OutsideCRLModel()
        model.caFingerprint = authority.fingerprint
        (model.crlDER, model.thisUpdate, model.nextUpdate) = (Data(der), list.thisUpdate, list.nextUpdate)
        (model.addedBy, model.addedAt) = (username, now)
        try await model.save(on: db)
        return Added(issuer: authority.subject, thisUpdate: list.thisUpdate, nextUpdate: list.nextUpdate, revoked: list.revoked.count)
    }

    /// When an outside CA's kept CRL says `certificate` was revoked, or nil.
    static func revocationDate(of certificate: Certificate, on db: any Database) async throws -> Date? {
        let serial = List.normalised(Array(certificate.serialNumber.bytes))
        for model in try await OutsideCRLModel.query(on: db).all() {
            guard let list = try? List(der: Array(model.crlDER)), list.issuer == certificate.issuer, let date = list.revoked[serial] else { continue }
            return date
        }
        return nil
    }
}
