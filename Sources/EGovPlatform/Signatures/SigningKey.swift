import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The key types an administrator may choose when issuing (`keyType` in the API): RSA-2048 by default.
public enum SigningKeyType: String, Sendable, CaseIterable, Codable {
    case rsa2048 = "rsa-2048"
    case ecdsaP256 = "ecdsa-p256"
}

/// A holder's private signing key as their PIN opens it: RSA-2048 with PKCS #1 v1.5 (the Vietnamese baseline)
/// or ECDSA P-256 (issue 13 §1's option), each over SHA-256. One place says how each kind signs and is named
/// in a CMS SignerInfo and an XML-DSig SignatureMethod.
enum SigningKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)

    init(new kind: SigningKeyType) throws {
        switch kind {
        case .rsa2048: self = .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        case .ecdsaP256: self = .p256(P256.Signing.PrivateKey())
        }
    }

    /// A key from its sealed DER (PKCS #1 for RSA, PKCS #8 for P-256).
    init(der: Data) throws {
        if let rsa = try? _RSA.Signing.PrivateKey(derRepresentation: der) {
            self = .rsa(rsa)
        } else {
            self = .p256(try P256.Signing.PrivateKey(derRepresentation: der))
        }
    }

    var der: Data {
        switch self {
        case .rsa(let key): key.derRepresentation
        case .p256(let key): key.derRepresentation
        }
    }

    /// The key sealed under a holder's PIN, as `SigningCertificateModel.sealedKey` keeps it; `init(der:)` reads it back.
    func sealed(under pin: String) throws -> String {
        try SealedSecret.seal(der, under: pin).json()
    }

    /// PEM, for libxmlsec1.
    var pem: String {
        switch self {
        case .rsa(let key): key.pemRepresentation
        case .p256(let key): key.pemRepresentation
        }
    }

    var certificateKey: Certificate.PrivateKey {
        switch self {
        case .rsa(let key): Certificate.PrivateKey(key)
        case .p256(let key): Certificate.PrivateKey(key)
        }
    }

    /// The signature of SHA-256 over `bytes`: PKCS #1 v1.5, or ECDSA as a DER `Ecdsa-Sig-Value`.
    func sign(_ bytes: [UInt8]) throws -> [UInt8] {
        switch self {
        case .rsa(let key): Array(try key.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .p256(let key): Array(try key.signature(for: bytes).derRepresentation)
        }
    }

    /// The SignerInfo's signatureAlgorithm: `rsaEncryption` (with NULL parameters) or `ecdsa-with-SHA256` (none).
    var cmsAlgorithm: (oid: ASN1ObjectIdentifier, nullParameters: Bool) {
        switch self {
        case .rsa: (CMSSignedData.rsaEncryption, true)
        case .p256: ([1, 2, 840, 10_045, 4, 3, 2], false)
        }
    }

    /// The XML-DSig SignatureMethod's algorithm (RFC 4051 for ECDSA).
    var xmlSignatureMethod: String {
        switch self {
        case .rsa: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        case .p256: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        }
    }
}
