import Crypto
import Foundation
import SwiftASN1
import X509

/// Reads a CMS SignedData from a PDF signature or elsewhere — ours (`ETSI.CAdES.detached`) or another tool's
/// (`adbe.pkcs7.detached`, as the iText-based signing tools Vietnamese agencies use write) — and checks its
/// first signer against the signed content. BER is accepted, since some signers write indefinite lengths.
public struct CMSSignature: Sendable {
    public let certificates: [Certificate]
    /// The certificate the SignerInfo names, when the SignedData carries it.
    public let signer: Certificate?
    let digestAlgorithm: ASN1ObjectIdentifier
    let signatureAlgorithm: ASN1ObjectIdentifier
    /// The signed attributes as the signature covers them (a SET), or nil when the signature is over the content.
    let signedAttributes: [UInt8]?
    let messageDigest: [UInt8]?
    public let signingTime: Date?
    public let hasSigningCertificateV2: Bool
    let signature: [UInt8]
    /// The signature-time-stamp token (RFC 3161) over the signature value, an unsigned attribute (PAdES B-T).
    public let timeStampToken: [UInt8]?
    /// The content the SignedData carries itself (a time-stamp token's TSTInfo); nil when detached.
    let encapsulatedContent: [UInt8]?

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]

    /// Parses a ContentInfo holding a SignedData. Trailing zero bytes (a PDF's `/Contents` padding) are ignored.
    public init(_ bytes: [UInt8]) throws {
        let root = try Self.parseTrimmed(bytes)
        let top = DERBytes.children(root)
        guard top.count == 2, (try? ASN1ObjectIdentifier(derEncoded: top[0])) == CMSSignedData.idSignedData,
              let signedData = DERBytes.children(top[1]).first else { throw Malformed(description: "not a CMS SignedData") }
        let fields = DERBytes.children(signedData)
        var certificates: [Certificate] = []
        var signerInfos: [ASN1Node] = []
        // encapContentInfo { eContentType, [0] EXPLICIT OCTET STRING }: a definite-length octet string only.
        let encapsulated = fields.count > 2 ? DERBytes.children(fields[2]) : []
        self.encapsulatedContent = encapsulated.count == 2 ? DERBytes.children(encapsulated[1]).first.map(DERBytes.primitive) : nil
        for field in fields.dropFirst(3) {
            if field.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                certificates = DERBytes.children(field).compactMap { try? Certificate(derEncoded: Array($0.encodedBytes)) }
            } else if field.identifier == .set {
                signerInfos = DERBytes.children(field)
            }
        }
        guard let info = signerInfos.first else { throw Malformed(description: "no SignerInfo") }
        let parts = DERBytes.children(info)
        guard parts.count >= 5 else { throw Malformed(description: "short SignerInfo") }
        self.certificates = certificates
        self.signer = Self.find(sid: parts[1], in: certificates)
        self.digestAlgorithm = try Self.algorithm(parts[2])
        var index = 3
        var attributes: [UInt8]?
        var digest: [UInt8]?
        var time: Date?
        var hasV2 = false
        if parts[index].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            attributes = [0x31] + Array(parts[index].encodedBytes.dropFirst())
            for attribute in DERBytes.children(parts[index]) {
                let pair = DERBytes.children(attribute)
                guard pair.count == 2, let type = try? ASN1ObjectIdentifier(derEncoded: pair[0]),
                      let value = DERBytes.children(pair[1]).first else { continue }
                switch type {
                case CMSSignedData.messageDigestAttribute: digest = DERBytes.primitive(value)
                case CMSSignedData.signingTimeAttribute: time = DERBytes.date(value)
                case CMSSignedData.signingCertificateV2Attribute: hasV2 = true
                default: break
                }
            }
            index += 1
        }
        guard parts.count > index + 1 else { throw Malformed(description: "short SignerInfo") }
        self.signedAttributes = attributes
        self.messageDigest = digest
        self.signingTime = time
        self.hasSigningCertificateV2 = hasV2
        self.signatureAlgorithm = try Self.algorithm(parts[index])
        self.signature = DERBytes.primitive(parts[index + 1])
        var token: [UInt8]?
        if parts.count > index + 2, parts[index + 2].identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
            for attribute in DERBytes.children(parts[index + 2]) {
                let pair = DERBytes.children(attribute)
                if pair.count == 2, (try? ASN1ObjectIdentifier(derEncoded: pair[0])) == CMSSignedData.timeStampTokenAttribute,
                   let value = DERBytes.children(pair[1]).first {
                    token = Array(value.encodedBytes)
                }
            }
        }
        self.timeStampToken = token
    }

    /// Whether the signature holds for content made of `chunks`: the content's digest is the signed one (or,
    /// without signed attributes, the signature is over the content itself) and the signer's key made it.
    public func verifies(content chunks: [ArraySlice<UInt8>]) -> Bool {
        guard let signer, let digest = Self.digest(digestAlgorithm, chunks), let algorithm = signatureAlgorithmForVerification else {
            return false
        }
        if let signedAttributes {
            guard let messageDigest, messageDigest == digest else { return false }
            return signer.publicKey.isValidSignature(signature, for: signedAttributes, signatureAlgorithm: algorithm)
        }
        return signer.publicKey.isValidSignature(signature, for: chunks.flatMap { $0 }, signatureAlgorithm: algorithm)
    }

    /// The digest of the content alone: whether the bytes are those that were signed, whoever signed them.
    public func contentMatches(_ chunks: [ArraySlice<UInt8>]) -> Bool {
        guard let digest = Self.digest(digestAlgorithm, chunks) else { return false }
        return signedAttributes == nil || messageDigest == digest
    }

    /// The X.509 signature algorithm for this SignerInfo's digest and key (`rsaEncryption` names the key only).
    private var signatureAlgorithmForVerification: Certificate.SignatureAlgorithm? {
        let rsa: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
            CMSSignedData.sha256: .sha256WithRSAEncryption, Self.sha1: .sha1WithRSAEncryption,
            Self.sha384: .sha384WithRSAEncryption, Self.sha512: .sha512WithRSAEncryption,
        ]
        let ecdsa: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
            CMSSignedData.sha256: .ecdsaWithSHA256, Self.sha384: .ecdsaWithSHA384, Self.sha512: .ecdsaWithSHA512,
        ]
        let named: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
            .AlgorithmIdentifier.sha256WithRSAEncryption: .sha256WithRSAEncryption, [1, 2, 840, 113_549, 1, 1, 5]: .sha1WithRSAEncryption,
            .AlgorithmIdentifier.sha384WithRSAEncryption: .sha384WithRSAEncryption, .AlgorithmIdentifier.sha512WithRSAEncryption: .sha512WithRSAEncryption,
            [1, 2, 840, 10_045, 4, 3, 2]: .ecdsaWithSHA256, [1, 2, 840, 10_045, 4, 3, 3]: .ecdsaWithSHA384, [1, 2, 840, 10_045, 4, 3, 4]: .ecdsaWithSHA512,
        ]
        switch signatureAlgorithm {
        case CMSSignedData.rsaEncryption: return rsa[digestAlgorithm]
        case .AlgorithmIdentifier.idEcPublicKey: return ecdsa[digestAlgorithm]
        default: return named[signatureAlgorithm]
        }
    }

    private static func digest(_ algorithm: ASN1ObjectIdentifier, _ chunks: [ArraySlice<UInt8>]) -> [UInt8]? {
        func run<H: HashFunction>(_ hasher: inout H) -> [UInt8] {
            for chunk in chunks { hasher.update(data: chunk) }
            return Array(hasher.finalize())
        }
        switch algorithm {
        case CMSSignedData.sha256: var h = SHA256(); return run(&h)
        case sha1: var h = Insecure.SHA1(); return run(&h)
        case sha384: var h = SHA384(); return run(&h)
        case sha512: var h = SHA512(); return run(&h)
        default: return nil
        }
    }

    private static func algorithm(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        guard let first = DERBytes.children(node).first, let oid = try? ASN1ObjectIdentifier(derEncoded: first) else {
            throw Malformed(description: "bad AlgorithmIdentifier")
        }
        return oid
    }

    /// The certificate a SignerIdentifier names: issuer and serial, or [0] subject key identifier.
    private static func find(sid: ASN1Node, in certificates: [Certificate]) -> Certificate? {
        if sid.identifier == .sequence {
            let parts = DERBytes.children(sid)
            guard parts.count == 2, let issuer = try? DistinguishedName(derEncoded: parts[0]) else { return nil }
            let serial = DERBytes.primitive(parts[1])
            return certificates.first {
                $0.issuer == issuer && DERBytes.positiveInteger(Array($0.serialNumber.bytes)) == DERBytes.positiveInteger(serial)
            }
        }
        let keyID = DERBytes.primitive(sid)
        return certificates.first { certificate in
            (try? certificate.extensions.subjectKeyIdentifier).flatMap { $0 }.map { Array($0.keyIdentifier) == keyID } ?? false
        }
    }

    /// The ContentInfo at the start of `bytes`: its definite length cuts the padding off; an indefinite one
    /// is tried with the padding trimmed and end-of-contents octets put back.
    private static func parseTrimmed(_ bytes: [UInt8]) throws -> ASN1Node {
        guard bytes.count >= 2, bytes[0] == 0x30 else { throw Malformed(description: "not DER or BER") }
        if bytes[1] & 0x80 == 0 {
            return try BER.parse(Array(bytes[0..<min(bytes.count, 2 + Int(bytes[1]))]))
        }
        let lengthBytes = Int(bytes[1] & 0x7f)
        if lengthBytes > 0 {
            guard lengthBytes <= 4, bytes.count >= 2 + lengthBytes else { throw Malformed(description: "bad length") }
            let length = bytes[2..<(2 + lengthBytes)].reduce(0) { $0 << 8 | Int($1) }
            guard 2 + lengthBytes + length <= bytes.count else { throw Malformed(description: "truncated") }
            return try BER.parse(Array(bytes[0..<(2 + lengthBytes + length)]))
        }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 { end -= 1 }
        for pairs in 1...16 {
            if let node = try? BER.parse(Array(bytes[0..<end]) + [UInt8](repeating: 0, count: pairs * 2)) { return node }
        }
        throw Malformed(description: "indefinite-length BER that does not parse")
    }
}
