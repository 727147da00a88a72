import Crypto
import EGovCore
import Fluent
import Foundation
import SQLKit
import SwiftASN1
import X509
import _CryptoExtras

/// The locality's own certificate authority: a root and an issuing CA (RSA-2048, SHA-256, the Vietnamese
/// baseline), and the signing certificates it issues to officers. The CA keys are sealed under the
/// administrator's CA passphrase; an officer's key under the officer's signing PIN, never stored in clear.
public enum CertificateAuthority {
    /// How long the root, the issuing CA and an officer's certificate are valid.
    static let rootYears = 20, issuingYears = 10, officerYears = 2
    static let year: TimeInterval = 365 * 86_400
    /// The certificates' validity starts a little before now, for clocks a few minutes apart.
    static let backdating: TimeInterval = 300

    public static let wrongPassphrase = EGovError.validation([ValidationError(
        field: "caPassphrase", vi: "Mật khẩu của tổ chức chứng thực (CA) không đúng; không có khóa nào được mở.",
        en: "The CA passphrase is wrong; no key was unlocked.")])
    public static let noAuthority = EGovError.conflict(ValidationError(
        field: "ca", vi: "Địa phương chưa tạo tổ chức chứng thực (CA).", en: "The locality has no certificate authority yet."))

    /// Whether the CA exists.
    public static func exists(on db: any Database) async throws -> Bool {
        try await AuthorityModel.query(on: db).count() > 0
    }

    /// Creates the root and the issuing CA, once, their keys sealed under `passphrase`.
    public static func create(name: String, passphrase: String, at now: Date, on db: any Database) async throws {
        guard try await !exists(on: db) else { return }
        let rootRSA = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rootKey = Certificate.PrivateKey(rootRSA)
        let rootName = try caName(name, "Root CA")
        let root = try caCertificate(rootName, key: rootKey, years: rootYears, pathLength: nil, issuer: (rootName, rootKey), at: now)
        let issuingRSA = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let issuingKey = Certificate.PrivateKey(issuingRSA)
        let issuing = try caCertificate(try caName(name, "CA cấp chứng thư ký số"), key: issuingKey, years: issuingYears, pathLength: 0,
                                        issuer: (rootName, rootKey), at: now)
        try await db.transaction { tx in
            var issuingModel: AuthorityModel?
            for (kind, certificate, key) in [(AuthorityModel.Kind.root, root, rootRSA), (.issuing, issuing, issuingRSA)] {
                let model = AuthorityModel(kind: kind, certificatePEM: try certificate.serializeAsPEM().pemString,
                                           sealedKey: try seal(key, under: passphrase), at: now)
                try await model.create(on: tx)
                if kind == .issuing { issuingModel = model }
            }
            if let issuingModel {
                let issuer = Issuer(certificate: issuing, key: issuingKey, rsa: issuingRSA, model: issuingModel)
                try await publishCRL(issuer, number: try await nextCRLNumber(issuer, on: tx), at: now, on: tx)
            }
        }
    }

    /// A random 20-byte serial whose high bit is clear, so its DER INTEGER needs no leading zero byte: NSS
    /// (pdfsig, Firefox, LibreOffice) does not find a CMS signer named by issuer and a serial that has one.
    static func serialNumber() -> Certificate.SerialNumber {
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max) }
        bytes[0] = UInt8.random(in: 1...0x7F)
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// `C=VN, O=<locality>, CN=<locality> – <role>`.
    private static func caName(_ locality: String, _ role: String) throws -> DistinguishedName {
        try DistinguishedName {
            CountryName("VN")
            OrganizationName(locality)
            CommonName("\(locality) – \(role)")
        }
    }

    /// A CA certificate (self-signed when `issuer` is its own name and key): signs certificates and CRLs.
    private static func caCertificate(_ subject: DistinguishedName, key: Certificate.PrivateKey, years: Int, pathLength: Int?,
                                      issuer: (name: DistinguishedName, key: Certificate.PrivateKey), at now: Date) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: serialNumber(), publicKey: key.publicKey, notValidBefore: now - backdating,
            notValidAfter: now + Double(years) * year, issuer: issuer.name, subject: subject,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: pathLength))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.key.publicKey).keyIdentifier)
            },
            issuerPrivateKey: issuer.key)
    }

    /// The issuing CA's certificate, then the root's, PEM: what a verifier needs.
    public static func chainPEM(on db: any Database) async throws -> String {
        try await authorities(on: db).map { $0.certificatePEM.hasSuffix("\n") ? $0.certificatePEM : $0.certificatePEM + "\n" }.joined()
    }

    /// The issuing CA's certificate, then the root's.
    public static func chain(on db: any Database) async throws -> [Certificate] {
        try await authorities(on: db).map { try Certificate(pemEncoded: $0.certificatePEM) }
    }

    private static func authorities(on db: any Database) async throws -> [AuthorityModel] {
        let authorities = try await AuthorityModel.query(on: db).all()
        let ordered = [AuthorityModel.Kind.issuing, .root].compactMap { kind in authorities.first { $0.kind == kind.rawValue } }
        guard !ordered.isEmpty else { throw noAuthority }
        return ordered
    }

    /// The issuing CA, unlocked with the CA passphrase: what issuing needs.
    public struct Issuer: Sendable {
        let certificate: Certificate
        let key: Certificate.PrivateKey
        let rsa: _RSA.Signing.PrivateKey
        let model: AuthorityModel
    }

    public static func issuer(caPassphrase: String, on db: any Database) async throws -> Issuer {
        guard let authority = try await AuthorityModel.query(on: db).filter(\.$kind == AuthorityModel.Kind.issuing.rawValue).first() else {
            throw noAuthority
        }
        let rsa = try unseal(authority.sealedKey, with: caPassphrase)
        return Issuer(certificate: try Certificate(pemEncoded: authority.certificatePEM), key: Certificate.PrivateKey(rsa), rsa: rsa,
                      model: authority)
    }

    /// Issues `holder` a signing certificate (digital signature and non-repudiation) with a new key sealed under
    /// `pin`: a first one, a renewal, or the way back from a locked or forgotten PIN. The holder's certificates
    /// still valid are superseded (revoked with that reason, in the CRL published with it) in the same
    /// transaction, so the holder has one signing key. Needs the CA passphrase. Returns the new certificate and
    /// the serials it superseded.
    @discardableResult
    public static func issue(for holder: Holder, unitName: String, pin: String, keyType: SigningKeyType = .rsa2048, caPassphrase: String,
                             at now: Date, on db: any Database) async throws -> (certificate: SigningCertificateModel, superseded: [String]) {
        let issuer = try await issuer(caPassphrase: caPassphrase, on: db)
        let model = try certificate(for: holder, unitName: unitName, pin: pin, keyType: keyType, by: issuer, at: now)
        let superseded: [String] = try await db.transaction { tx in
            let query = SigningCertificateModel.query(on: tx).filter(\.$status == SigningCertificateModel.Status.valid.rawValue)
            switch holder {
            case .officer(let user): query.filter(\.$userID == (try user.requireID()))
            case .seal(let unit): query.filter(\.$unitID == (try unit.requireID()))
            }
            let current = try await query.all()
            guard !current.isEmpty else {
                try await model.create(on: tx)
                return []
            }
            // As a revocation: the CRL number first, which orders publications (see `revoke`).
            let number = try await nextCRLNumber(issuer, on: tx)
            var serials: [String] = []
            for certificate in current {
                if try await markRevoked(certificate, reason: .superseded, at: now, on: tx) { serials.append(certificate.serial) }
            }
            try await model.create(on: tx)
            try await publishCRL(issuer, number: number, at: now, on: tx)
            return serials
        }
        return (model, superseded)
    }

    /// Whose key a signing certificate holds: an officer's (a personal signature) or a unit's (its seal).
    public enum Holder: Sendable {
        case officer(UserModel)
        case seal(UnitModel)
    }

    /// A new key pair and its certificate, not yet stored (the CPU-bound part of issuing), for an officer (`CN`
    /// their name, `O` their unit) or a unit's seal (`CN` and `O` the unit's name): key usage digital signature
    /// and non-repudiation, the key (RSA-2048 unless `keyType` says otherwise) sealed under `pin`.
    public static func certificate(for holder: Holder, unitName: String, pin: String, keyType: SigningKeyType = .rsa2048, by issuer: Issuer,
                                   at now: Date) throws -> SigningCertificateModel {
        let signingKey = try SigningKey(new: keyType)
        let key = signingKey.certificateKey
        let commonName: String
        switch holder {
        case .officer(let user): commonName = user.fullName
        case .seal: commonName = unitName
        }
        let subject = try DistinguishedName {
            CountryName("VN")
            OrganizationName(unitName)
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: serialNumber(), publicKey: key.publicKey, notValidBefore: now - backdating,
            notValidAfter: min(now + Double(officerYears) * year, issuer.certificate.notValidAfter), issuer: issuer.certificate.subject,
            subject: subject, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.certificate.publicKey).keyIdentifier)
            },
            issuerPrivateKey: issuer.key)
        let model = SigningCertificateModel()
        model.id = UUID()
        model.serial = Array(certificate.serialNumber.bytes).hexEncoded
        switch holder {
        case .officer(let user):
            model.userID = try user.requireID()
            model.subject = "\(user.fullName) – \(unitName)"
        case .seal(let unit):
            model.unitID = try unit.requireID()
            model.subject = "Con dấu số – \(unitName)"
        }
        model.notBefore = certificate.notValidBefore
        model.notAfter = certificate.notValidAfter
        model.status = SigningCertificateModel.Status.valid.rawValue
        model.certificatePEM = try certificate.serializeAsPEM().pemString
        model.sealedKey = try signingKey.sealed(under: pin)
        model.pinFailures = 0
        model.createdAt = now
        return model
    }

    /// How long a CRL is valid: it is re-signed at each revocation, and needs the CA passphrase to be.
    static let crlValidity: TimeInterval = 365 * 86_400

    /// Revokes a certificate with a reason and publishes the new CRL, in one transaction. Needs the CA passphrase.
    @discardableResult
    public static func revoke(serial: String, reason: RevocationList.Reason, caPassphrase: String, at now: Date,
                              on db: any Database) async throws -> SigningCertificateModel {
        guard let certificate = try await SigningCertificateModel.query(on: db).filter(\.$serial == serial.lowercased()).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có chứng thư số sê-ri “\(serial)”.", en: "No certificate with serial “\(serial)”."))
        }
        let issuer = try await issuer(caPassphrase: caPassphrase, on: db)
        let alreadyRevoked = EGovError.conflict(ValidationError(field: "serial", vi: "Chứng thư số này đã bị thu hồi.",
                                                                en: "This certificate is already revoked."))
        try await db.transaction { tx in
            // The CRL number first: it locks the issuing CA's row, so revocations publish one after another and
            // each CRL lists every revocation committed before it.
            let number = try await nextCRLNumber(issuer, on: tx)
            guard try await markRevoked(certificate, reason: reason, at: now, on: tx) else { throw alreadyRevoked }
            try await publishCRL(issuer, number: number, at: now, on: tx)
        }
        certificate.status = SigningCertificateModel.Status.revoked.rawValue
        certificate.revokedAt = now
        certificate.revocationReason = reason.rawValue
        return certificate
    }

    /// The issuing CA's current CRL, PEM.
    public static func crlPEM(on db: any Database) async throws -> String {
        guard let pem = try await AuthorityModel.query(on: db).filter(\.$kind == AuthorityModel.Kind.issuing.rawValue).first()?.crlPEM else {
            throw noAuthority
        }
        return pem
    }

    /// Marks `certificate` revoked with `reason` if it is still valid (in the caller's transaction, after
    /// `nextCRLNumber`); false when it was not valid any more.
    static func markRevoked(_ certificate: SigningCertificateModel, reason: RevocationList.Reason, at now: Date,
                            on tx: any Database) async throws -> Bool {
        guard let sql = tx as? any SQLDatabase else { throw EGovError.forbidden }
        let changed = try await sql.raw("""
            UPDATE \(ident: SigningCertificateModel.schema) SET status = \(bind: SigningCertificateModel.Status.revoked.rawValue),
              revoked_at = \(bind: now), revocation_reason = \(bind: reason.rawValue)
            WHERE id = \(bind: try certificate.requireID()) AND status = \(bind: SigningCertificateModel.Status.valid.rawValue) RETURNING id
            """).all()
        return !changed.isEmpty
    }

    /// Takes the next CRL number, locking the issuing CA's row for the rest of the transaction.
    static func nextCRLNumber(_ issuer: Issuer, on tx: any Database) async throws -> Int {
        guard let sql = tx as? any SQLDatabase else { throw EGovError.forbidden }
        let row = try await sql.raw("""
            UPDATE \(ident: AuthorityModel.schema) SET crl_number = crl_number + 1 WHERE id = \(bind: try issuer.model.requireID())
            RETURNING crl_number
            """).first()
        guard let number = try row?.decode(column: "crl_number", as: Int.self) else { throw noAuthority }
        return number
    }

    /// Signs CRL number `number`, of every revoked certificate, and keeps it on the issuing CA's row.
    static func publishCRL(_ issuer: Issuer, number: Int, at now: Date, on db: any Database) async throws {
        let revoked = try await SigningCertificateModel.query(on: db).filter(\.$status == SigningCertificateModel.Status.revoked.rawValue)
            .sort(\.$revokedAt).all()
        let entries = revoked.map { certificate in
            RevocationList.Entry(serial: [UInt8](hexDigits: certificate.serial.utf8) ?? [], revokedAt: certificate.revokedAt ?? now,
                                 reason: certificate.revocationReason.flatMap(RevocationList.Reason.init(rawValue:)) ?? .unspecified)
        }
        let der = try RevocationList.der(issuer: issuer.certificate, key: issuer.rsa, number: number, thisUpdate: now - backdating,
                                         nextUpdate: now + crlValidity, entries: entries)
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        try await sql.raw("""
            UPDATE \(ident: AuthorityModel.schema) SET crl_pem = \(bind: RevocationList.pem(der)) WHERE id = \(bind: try issuer.model.requireID())
            """).run()
    }

    /// Checks the CA passphrase without using the key.
    public static func checkPassphrase(_ passphrase: String, on db: any Database) async throws {
        _ = try await issuer(caPassphrase: passphrase, on: db)
    }

    static func seal(_ key: _RSA.Signing.PrivateKey, under secret: String) throws -> String {
        try SealedSecret.seal(key.derRepresentation, under: secret).json()
    }

    static func unseal(_ sealed: String, with secret: String) throws -> _RSA.Signing.PrivateKey {
        do {
            let der = try SealedSecret.from(json: sealed).open(with: secret)
            return try _RSA.Signing.PrivateKey(derRepresentation: der)
        } catch is SealedSecret.WrongSecret {
            throw wrongPassphrase
        }
    }
}
