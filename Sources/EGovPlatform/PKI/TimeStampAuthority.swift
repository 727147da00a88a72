import Crypto
import EGovCore
import Fluent
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The locality's RFC 3161 time-stamping authority (issue 13 §3b): a certificate from the issuing CA with the
/// single, critical extended key usage timeStamping, whose key signs time-stamp tokens without a person's PIN,
/// so it is sealed under a key derived from the installation's master secret. `openssl ts -verify` accepts its
/// tokens. PDF signatures carry one over their signature value (PAdES B-T), and so do the audit log's seals.
public enum TimeStampAuthority {
    static let idTSTInfo: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 1, 4]
    /// The TSA's policy, `2.25.147689901208682695977166490401760820249` (a UUID arc, ITU-T X.667), as DER:
    /// swift-asn1's arcs stop at 64 bits, so it is written out here.
    static let policyDER: [UInt8] = [0x06, 0x14, 0x69, 0x81, 0xDE, 0x9C, 0x85, 0x94, 0xD1, 0xD3, 0xF2, 0xAD, 0xF5, 0x9C, 0x90, 0xD7,
                                     0xC1, 0xD4, 0xD3, 0xEC, 0xF8, 0x19]
    public static let policy = "2.25.147689901208682695977166490401760820249"
    /// How long the TSA's certificate is valid (at most as long as the issuing CA's).
    static let years = 10
    static let secretPurpose = "tsa-key"

    /// A PKIFailureInfo bit (RFC 3161 §2.4.2) for a refused request.
    public enum Failure: Int, Error, Sendable {
        case badAlg = 0
        case badRequest = 2
        case badDataFormat = 5
        case unacceptedPolicy = 15
        case systemFailure = 25
    }

    /// What a TimeStampReq asks (RFC 3161 §2.4.1): the hash to stamp, a nonce to echo, whether to send the certificate.
    struct Request: Equatable {
        var imprint: [UInt8]
        /// The INTEGER's content bytes, echoed as they came.
        var nonce: [UInt8]?
        var certReq: Bool
    }

    /// Reads a DER TimeStampReq. Only SHA-256 imprints and this TSA's policy (or none) are accepted.
    static func parse(_ der: [UInt8]) throws(Failure) -> Request {
        guard der.count <= 4096, let root = try? DER.parse(der), root.identifier == .sequence else { throw .badDataFormat }
        let fields = DERBytes.children(root)
        guard fields.count >= 2, (try? Int(derEncoded: fields[0])) == 1 else { throw .badDataFormat }
        let imprint = DERBytes.children(fields[1])
        guard imprint.count == 2, let algorithm = DERBytes.children(imprint[0]).first,
              let oid = try? ASN1ObjectIdentifier(derEncoded: algorithm), imprint[1].identifier == .octetString else { throw .badDataFormat }
        guard oid == CMSSignedData.sha256 else { throw .badAlg }
        let hashed = DERBytes.primitive(imprint[1])
        guard hashed.count == 32 else { throw .badDataFormat }
        var request = Request(imprint: hashed, nonce: nil, certReq: false)
        for field in fields.dropFirst(2) {
            switch field.identifier {
            case .objectIdentifier:
                guard Array(field.encodedBytes) == policyDER else { throw .unacceptedPolicy }
            case .integer:
                let nonce = DERBytes.primitive(field)
                guard !nonce.isEmpty, nonce.count <= 64 else { throw .badDataFormat }
                request.nonce = nonce
            case .boolean:
                request.certReq = (try? Bool(derEncoded: field)) ?? false
            default:
                // Extensions [0]: none is understood, so a request that has any is refused.
                throw .badRequest
            }
        }
        return request
    }

    /// The TSA, unlocked: its certificate, the chain above it and its key.
    public struct Stamper: Sendable {
        let certificate: Certificate
        let chain: [Certificate]
        let key: _RSA.Signing.PrivateKey

        var signer: CMSSignedData.Signer {
            let key = key
            return CMSSignedData.Signer(certificate: certificate, chain: chain) { bytes in
                Array(try key.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation)
            }
        }

        /// A time-stamp token (a SignedData over a TSTInfo) for the SHA-256 `imprint` at `time`.
        public func token(sha256 imprint: [UInt8], at time: Date, nonce: [UInt8]? = nil, certificates: Bool = true) throws -> [UInt8] {
            var info = DER.Serializer()
            try info.appendConstructedNode(identifier: .sequence) { tst in
                try tst.serialize(1)
                tst.serializeRawBytes(policyDER)
                try tst.appendConstructedNode(identifier: .sequence) { messageImprint in
                    try DERBytes.algorithm(CMSSignedData.sha256, &messageImprint)
                    try messageImprint.serialize(ASN1OctetString(contentBytes: ArraySlice(imprint)))
                }
                tst.appendPrimitiveNode(identifier: .integer) {
                    $0.append(contentsOf: DERBytes.positiveInteger(Array(CertificateAuthority.serialNumber().bytes)))
                }
                try tst.serialize(try Self.generalizedTime(time))
                if let nonce { tst.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) } }
            }
            let tstInfo = info.serializedBytes
            return try CMSSignedData.signedData(contentType: idTSTInfo, sha256: Array(SHA256.hash(data: tstInfo)), encapsulated: tstInfo,
                                                signer: signer, certificates: certificates)
        }

        /// GeneralizedTime in UTC, whole milliseconds (RFC 3161 §2.4.2: no trailing zeros in the fraction).
        static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
            return try GeneralizedTime(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hours: c.hour ?? 0,
                                       minutes: c.minute ?? 0, seconds: c.second ?? 0, fractionalSeconds: Double(milliseconds) / 1000)
        }
    }

    /// A TimeStampResp (RFC 3161 §2.4.2) to a DER TimeStampReq: granted with a token, or rejected with the
    /// reason's failure bit. Nil `stamper` (no TSA here) answers systemFailure.
    public static func respond(to der: [UInt8], stamper: Stamper?, at now: Date) -> [UInt8] {
        do {
            let request = try parse(der)
            guard let stamper else { throw Failure.systemFailure }
            let token = try stamper.token(sha256: request.imprint, at: now, nonce: request.nonce, certificates: request.certReq)
            return DERBytes.wrap(0x30, [0x30, 0x03, 0x02, 0x01, 0x00] + token)
        } catch let failure as Failure {
            return rejection(failure)
        } catch {
            return rejection(.systemFailure)
        }
    }

    /// PKIStatusInfo { status rejection (2), failInfo BIT STRING with `failure`'s bit }.
    static func rejection(_ failure: Failure) -> [UInt8] {
        let bit = failure.rawValue
        var bits = [UInt8](repeating: 0, count: bit / 8 + 1)
        bits[bit / 8] = 0x80 >> UInt8(bit % 8)
        let bitString = DERBytes.wrap(0x03, [UInt8(7 - bit % 8)] + bits)
        return DERBytes.wrap(0x30, DERBytes.wrap(0x30, [0x02, 0x01, 0x02] + bitString))
    }

    /// Creates the TSA's key and certificate, once, with the issuing CA (which needs the CA passphrase).
    public static func create(by issuer: CertificateAuthority.Issuer, name: String, secrets: Secrets, at now: Date,
                              on db: any Database) async throws {
        guard try await AuthorityModel.query(on: db).filter(\.$kind == AuthorityModel.Kind.tsa.rawValue).count() == 0 else { return }
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = Certificate.PrivateKey(rsa)
        let certificate = try Certificate(
            version: .v3, serialNumber: CertificateAuthority.serialNumber(), publicKey: key.publicKey,
            notValidBefore: now - CertificateAuthority.backdating,
            notValidAfter: min(now + Double(years) * CertificateAuthority.year, issuer.certificate.notValidAfter),
            issuer: issuer.certificate.subject,
            subject: try DistinguishedName {
                CountryName("VN")
                OrganizationName(name)
                CommonName("\(name) – Dịch vụ cấp dấu thời gian")
            },
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                Critical(try ExtendedKeyUsage([.timeStamping]))
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.certificate.publicKey).keyIdentifier)
            },
            issuerPrivateKey: issuer.key)
        let sealed = try AES.GCM.seal(rsa.derRepresentation, using: secrets.key(for: secretPurpose)).combined ?? Data()
        try await AuthorityModel(kind: .tsa, certificatePEM: try certificate.serializeAsPEM().pemString,
                                 sealedKey: sealed.base64EncodedString(), at: now).create(on: db)
    }

    /// The TSA's certificate, PEM; nil when this installation has none.
    public static func certificatePEM(on db: any Database) async throws -> String? {
        try await AuthorityModel.query(on: db).filter(\.$kind == AuthorityModel.Kind.tsa.rawValue).first()?.certificatePEM
    }

    /// The TSA, unlocked with the installation's secret; nil when this installation has none.
    public static func stamper(secrets: Secrets, on db: any Database) async throws -> Stamper? {
        guard let model = try await AuthorityModel.query(on: db).filter(\.$kind == AuthorityModel.Kind.tsa.rawValue).first() else {
            return nil
        }
        guard let combined = Data(base64Encoded: model.sealedKey),
              let der = try? AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: secrets.key(for: secretPurpose)) else {
            throw EGovError.conflict(ValidationError(field: "tsa", vi: "Không mở được khóa của dịch vụ cấp dấu thời gian (khóa bí mật của hệ thống đã đổi?).",
                                                     en: "The time-stamping key cannot be opened (has the installation's secret key changed?)."))
        }
        return Stamper(certificate: try Certificate(pemEncoded: model.certificatePEM), chain: try await CertificateAuthority.chain(on: db),
                       key: try _RSA.Signing.PrivateKey(derRepresentation: der))
    }
}
