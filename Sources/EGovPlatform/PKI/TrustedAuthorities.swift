import Crypto
import EGovCore
import Fluent
import Foundation
import SwiftASN1
import Vapor
import X509

/// `core_pki_trusted`: CA certificates from outside (e.g. the Government's specialised CA) whose signatures
/// this installation accepts, beside its own CA.
final class TrustedAuthorityModel: Model, @unchecked Sendable {
    static let schema = "core_pki_trusted"

    @ID(key: .id) var id: UUID?
    @Field(key: "subject") var subject: String
    /// Lower-case hex SHA-256 of the certificate's DER.
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "certificate_pem") var certificatePEM: String
    @Field(key: "not_after") var notAfter: Date
    @Field(key: "added_by") var addedBy: String
    @Field(key: "added_at") var addedAt: Date

    init() {}
}

struct M011_CreateTrustedAuthorities: AsyncMigration {
    var name: String { "core.011.create-trusted-authorities" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TrustedAuthorityModel.schema)
            .id()
            .field("subject", .string, .required)
            .field("fingerprint", .string, .required)
            .field("certificate_pem", .string, .required)
            .field("not_after", .datetime, .required)
            .field("added_by", .string, .required)
            .field("added_at", .datetime, .required)
            .unique(on: "fingerprint")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrustedAuthorityModel.schema).delete()
    }
}

/// The CAs an installation trusts for verification: its own chain and the external ones imported here.
public enum TrustedAuthorities {
    public struct Entry: Content, Sendable, Equatable {
        public let subject: String
        public let fingerprint: String
        public let notAfter: Date
        public let pem: String
    }

    public static let maxCertificates = 20

    static func invalid(_ vi: String, _ en: String) -> EGovError {
        .validation([ValidationError(field: "certificate", vi: vi, en: en)])
    }

    /// Adds the CA certificates in `pem` (one or more PEM blocks). Each must be a CA certificate; one already
    /// trusted is kept once.
    public static func add(pem: String, by username: String, at now: Date, on db: any Database) async throws -> [Entry] {
        let notCertificate = invalid("Có một khối PEM không phải chứng thư X.509 hợp lệ.", "A PEM block is not a valid X.509 certificate.")
        guard let documents = try? PEMDocument.parseMultiple(pemString: pem) else { throw notCertificate }
        guard !documents.isEmpty, documents.count <= maxCertificates else {
            throw invalid("Vui lòng gửi từ 1 đến \(maxCertificates) chứng thư CA dạng PEM.", "Please send 1 to \(maxCertificates) CA certificates as PEM.")
        }
        var added: [Entry] = []
        for document in documents {
            guard let certificate = try? Certificate(pemDocument: document) else { throw notCertificate }
            guard isAuthority(certificate) else {
                throw invalid("Chứng thư “\(certificate.subject)” không phải của một tổ chức chứng thực (CA).",
                              "The certificate “\(certificate.subject)” is not a CA certificate.")
            }
            let fingerprint = SHA256.hash(data: try DERBytes.certificate(certificate)).hexEncoded
            let entry = Entry(subject: certificate.subject.description, fingerprint: fingerprint, notAfter: certificate.notValidAfter,
                              pem: try certificate.serializeAsPEM().pemString)
            if try await TrustedAuthorityModel.query(on: db).filter(\.$fingerprint == fingerprint).first() == nil {
                let model = TrustedAuthorityModel()
                (model.id, model.subject, model.fingerprint, model.certificatePEM) = (UUID(), entry.subject, fingerprint, entry.pem)
                (model.notAfter, model.addedBy, model.addedAt) = (entry.notAfter, username, now)
                try await model.create(on: db)
            }
            added.append(entry)
        }
        return added
    }

    public static func all(on db: any Database) async throws -> [Entry] {
        try await TrustedAuthorityModel.query(on: db).sort(\.$addedAt).all().map {
            Entry(subject: $0.subject, fingerprint: $0.fingerprint, notAfter: $0.notAfter, pem: $0.certificatePEM)
        }
    }

    /// Every trust anchor: the locality's own chain, then the imported CAs.
    static func anchors(on db: any Database) async throws -> [Certificate] {
        let own = (try? await CertificateAuthority.chain(on: db)) ?? []
        let imported = try await TrustedAuthorityModel.query(on: db).all().compactMap { try? Certificate(pemEncoded: $0.certificatePEM) }
        return own + imported
    }

    static func isAuthority(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority { return true }
        return false
    }

    /// Whether `certificate` leads to an anchor: directly, or through CA certificates the signature carried.
    static func chains(_ certificate: Certificate, through bundled: [Certificate], to anchors: [Certificate]) -> Bool {
        var current = certificate
        for _ in 0..<8 {
            if anchors.contains(current) { return true }
            func issued(_ candidate: Certificate) -> Bool {
                candidate.subject == current.issuer && isAuthority(candidate) && candidate.publicKey.isValidSignature(current.signature, for: current)
            }
            if anchors.contains(where: issued) { return true }
            guard let next = bundled.first(where: { $0 != current && issued($0) }) else { return false }
            current = next
        }
        return false
    }
}
