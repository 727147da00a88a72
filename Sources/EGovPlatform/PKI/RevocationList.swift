import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// An X.509 v2 certificate revocation list (RFC 5280 §5), DER-encoded with swift-asn1 (swift-certificates
/// has no CRL builder): the revoked serials with their dates and reasons, a CRL number and the issuer's
/// key identifier, signed sha256WithRSAEncryption by the issuing CA.
public enum RevocationList {
    /// RFC 5280 §5.3.1 reason codes the platform offers.
    public enum Reason: String, CaseIterable, Codable, Sendable {
        case unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation

        var code: UInt8 {
            switch self {
            case .unspecified: 0
            case .keyCompromise: 1
            case .affiliationChanged: 3
            case .superseded: 4
            case .cessationOfOperation: 5
            }
        }
    }

    public struct Entry: Sendable {
        let serial: [UInt8]
        let revokedAt: Date
        let reason: Reason
    }

    static func der(issuer: Certificate, key: _RSA.Signing.PrivateKey, number: Int, thisUpdate: Date, nextUpdate: Date,
                    entries: [Entry]) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { list in
            try list.serialize(1) // v2
            try DERBytes.algorithm(.AlgorithmIdentifier.sha256WithRSAEncryption, &list)
            try list.serialize(issuer.subject)
            try DERBytes.time(thisUpdate, &list)
            try DERBytes.time(nextUpdate, &list)
            if !entries.isEmpty {
                try list.appendConstructedNode(identifier: .sequence) { revoked in
                    for entry in entries {
                        try revoked.appendConstructedNode(identifier: .sequence) { item in
                            item.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: DERBytes.positiveInteger(entry.serial)) }
                            try DERBytes.time(entry.revokedAt, &item)
                            try item.appendConstructedNode(identifier: .sequence) { extensions in
                                try extensionNode([2, 5, 29, 21], &extensions) { value in
                                    value.appendPrimitiveNode(identifier: .enumerated) { $0.append(entry.reason.code) }
                                }
                            }
                        }
                    }
                }
            }
            try list.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { tagged in
                try tagged.appendConstructedNode(identifier: .sequence) { extensions in
                    try extensionNode([2, 5, 29, 20], &extensions) { value in try value.serialize(number) }
                    try extensionNode([2, 5, 29, 35], &extensions) { value in
                        value.appendConstructedNode(identifier: .sequence) { aki in
                            aki.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                                $0.append(contentsOf: SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier)
                            }
                        }
                    }
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try key.signature(for: SHA256.hash(data: tbsBytes), padding: .insecurePKCS1v1_5)
        // Assemble by hand: SEQUENCE { tbs, algorithm, BIT STRING signature }.
        var body = DER.Serializer()
        try DERBytes.algorithm(.AlgorithmIdentifier.sha256WithRSAEncryption, &body)
        try body.serialize(ASN1BitString(bytes: ArraySlice(signature.rawRepresentation)))
        return DERBytes.wrap(0x30, tbsBytes + body.serializedBytes)
    }

    public static func pem(_ der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN X509 CRL-----\n\(base64)\n-----END X509 CRL-----\n"
    }

    /// Extension { extnID, extnValue OCTET STRING (the DER `value` writes) }.
    private static func extensionNode(_ oid: ASN1ObjectIdentifier, _ serializer: inout DER.Serializer,
                                      _ value: (inout DER.Serializer) throws -> Void) throws {
        var inner = DER.Serializer()
        try value(&inner)
        let bytes = inner.serializedBytes
        try serializer.appendConstructedNode(identifier: .sequence) { ext in
            try ext.serialize(oid)
            ext.appendPrimitiveNode(identifier: .octetString) { $0.append(contentsOf: bytes) }
        }
    }
}
