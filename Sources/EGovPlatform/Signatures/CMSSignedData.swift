import Crypto
import Foundation
import SwiftASN1
import X509

/// A detached CMS SignedData (RFC 5652) as PAdES baseline wants it (ETSI EN 319 142-1, `ETSI.CAdES.detached`):
/// SHA-256, the signer's certificate and its chain, and the signed attributes content-type, message-digest
/// and signing-certificate-v2 (RFC 5035). swift-certificates keeps its CMS builder behind SPI and cannot add
/// signing-certificate-v2, so the structure is written here with swift-asn1. `openssl cms -verify` checks it.
public enum CMSSignedData {
    static let idData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    static let idSignedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    static let contentTypeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 3]
    static let messageDigestAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 4]
    static let signingTimeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 5]
    static let signingCertificateV2Attribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 2, 47]
    static let timeStampTokenAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 2, 14]
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]

    /// Who signs: the certificate, the chain to send with it (issuing CA first), and the private operation,
    /// which gets the DER of the signed attributes and returns a PKCS #1 v1.5 SHA-256 signature over them.
    public struct Signer: Sendable {
        public let certificate: Certificate
        public let chain: [Certificate]
        public let sign: @Sendable ([UInt8]) throws -> [UInt8]
        /// The SignerInfo's signatureAlgorithm, and whether it has NULL parameters (RSA) or none (ECDSA).
        let algorithm: (oid: ASN1ObjectIdentifier, nullParameters: Bool)

        public init(certificate: Certificate, chain: [Certificate], sign: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
            (self.certificate, self.chain, self.sign, algorithm) = (certificate, chain, sign, (rsaEncryption, true))
        }

        /// A signer with `key`, whichever kind it is.
        init(certificate: Certificate, chain: [Certificate], key: SigningKey) {
            (self.certificate, self.chain, algorithm) = (certificate, chain, key.cmsAlgorithm)
            sign = { try key.sign($0) }
        }
    }

    /// The DER ContentInfo of a detached SignedData over content whose SHA-256 is `digest`. `signingTime` adds
    /// the signing-time attribute, which PAdES leaves out (the time is the signature dictionary's `/M`).
    /// `timeStamp`, given the signature value, returns a time-stamp token over it (RFC 3161), kept as the
    /// unsigned signature-time-stamp attribute (PAdES B-T), or nil to go without.
    public static func detached(sha256 digest: [UInt8], signer: Signer, signingTime: Date? = nil,
                                timeStamp: (([UInt8]) throws -> [UInt8]?)? = nil) throws -> [UInt8] {
        let signature = try Signature(contentType: idData, sha256: digest, encapsulated: nil, signer: signer, signingTime: signingTime)
        return try signature.assembled(timeStampToken: try timeStamp?(signature.value))
    }

    /// A SignedData with one signer, carrying `encapsulated` as its eContent (a time-stamp token's TSTInfo) of
    /// type `contentType`, whose SHA-256 is `digest`. `certificates` false leaves the certificates out (a
    /// time-stamp request that did not ask for them).
    static func signedData(contentType: ASN1ObjectIdentifier, sha256 digest: [UInt8], encapsulated: [UInt8], signer: Signer,
                           certificates: Bool = true) throws -> [UInt8] {
        try Signature(contentType: contentType, sha256: digest, encapsulated: encapsulated, signer: signer, certificates: certificates)
            .assembled(timeStampToken: nil)
    }

    /// A SignedData signed but not yet written out: the private-key operation is done, and the signature value
    /// is known, so a time-stamp token over it can be fetched — from another server, which takes a while and is
    /// not done while a thread of the pool waits — before `assembled` writes the whole.
    public struct Signature: Sendable {
        let contentType: ASN1ObjectIdentifier
        let encapsulated: [UInt8]?
        let signer: Signer
        let withCertificates: Bool
        let certificate: [UInt8]
        /// The signed attributes as a SET, which the signature covers.
        let signedAttributes: [UInt8]
        /// The signature value, which a signature time-stamp covers.
        public let value: [UInt8]

        /// Signs: detached (`encapsulated` nil) or over `encapsulated`, of type `contentType`, whose SHA-256 is `digest`.
        init(contentType: ASN1ObjectIdentifier, sha256 digest: [UInt8], encapsulated: [UInt8]?, signer: Signer,
             certificates withCertificates: Bool = true, signingTime: Date? = nil) throws {
            let certificate = try DERBytes.certificate(signer.certificate)
            var attributes = [
                try attribute(contentTypeAttribute) { try $0.serialize(contentType) },
                try attribute(messageDigestAttribute) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(digest))) },
                try attribute(signingCertificateV2Attribute) { try signingCertificateV2(signer.certificate, der: certificate, &$0) },
            ]
            if let signingTime { attributes.append(try attribute(signingTimeAttribute) { try DERBytes.time(signingTime, &$0) }) }
            // DER sorts a SET OF by its elements' encodings; the signature covers the SET, the SignerInfo holds it as [0].
            let signedAttributes = DERBytes.wrap(0x31, attributes.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
            (self.contentType, self.encapsulated, self.signer, self.withCertificates) = (contentType, encapsulated, signer, withCertificates)
            (self.certificate, self.signedAttributes) = (certificate, signedAttributes)
            value = try signer.sign(signedAttributes)
        }

        /// The DER ContentInfo, with `timeStampToken` (RFC 3161, over `value`) as the unsigned
        /// signature-time-stamp attribute when there is one.
        public func assembled(timeStampToken: [UInt8]?) throws -> [UInt8] {
            // The token covers the signature value: [1] IMPLICIT SET OF Attribute after it.
            let unsignedAttributes = try timeStampToken.map { token in
                DERBytes.wrap(0xA1, try attribute(timeStampTokenAttribute) { $0.serializeRawBytes(token) })
            }
            var out = DER.Serializer()
            try out.appendConstructedNode(identifier: .sequence) { contentInfo in
                try contentInfo.serialize(idSignedData)
                try contentInfo.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { explicit in
                    try explicit.appendConstructedNode(identifier: .sequence) { signedData in
                        // Version 3 when the content is not id-data (RFC 5652 §5.1).
                        try signedData.serialize(contentType == idData ? 1 : 3)
                        try signedData.appendConstructedNode(identifier: .set) { try DERBytes.algorithm(sha256, &$0) }
                        try signedData.appendConstructedNode(identifier: .sequence) { encapContentInfo in
                            try encapContentInfo.serialize(contentType)
                            if let encapsulated {
                                try encapContentInfo.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) {
                                    try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(encapsulated)))
                                }
                            }
                        }
                        if withCertificates {
                            try signedData.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { set in
                                set.serializeRawBytes(certificate)
                                for extra in signer.chain { set.serializeRawBytes(try DERBytes.certificate(extra)) }
                            }
                        }
                        try signedData.appendConstructedNode(identifier: .set) { signerInfos in
                            try signerInfos.appendConstructedNode(identifier: .sequence) { info in
                                try info.serialize(1)
                                try issuerAndSerial(signer.certificate, &info)
                                try DERBytes.algorithm(sha256, &info)
                                info.serializeRawBytes([0xA0] + signedAttributes.dropFirst())
                                if signer.algorithm.nullParameters {
                                    try DERBytes.algorithm(signer.algorithm.oid, &info)
                                } else {
                                    try info.appendConstructedNode(identifier: .sequence) { try $0.serialize(signer.algorithm.oid) }
                                }
                                try info.serialize(ASN1OctetString(contentBytes: ArraySlice(value)))
                                if let unsignedAttributes { info.serializeRawBytes(unsignedAttributes) }
                            }
                        }
                    }
                }
            }
            return out.serializedBytes
        }
    }

    /// Attribute ::= SEQUENCE { attrType, attrValues SET OF } with one value.
    private static func attribute(_ type: ASN1ObjectIdentifier, _ value: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { attribute in
            try attribute.serialize(type)
            try attribute.appendConstructedNode(identifier: .set) { try value(&$0) }
        }
        return serializer.serializedBytes
    }

    /// IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }.
    private static func issuerAndSerial(_ certificate: Certificate, _ serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { sid in
            try sid.serialize(certificate.issuer)
            sid.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: DERBytes.positiveInteger(Array(certificate.serialNumber.bytes))) }
        }
    }

    /// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, one ESSCertIDv2 { certHash (SHA-256,
    /// the default algorithm, so not written), issuerSerial { GeneralNames { directoryName [4] }, serial } }.
    private static func signingCertificateV2(_ certificate: Certificate, der: [UInt8], _ serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { value in
            try value.appendConstructedNode(identifier: .sequence) { certs in
                try certs.appendConstructedNode(identifier: .sequence) { id in
                    try id.serialize(ASN1OctetString(contentBytes: ArraySlice(SHA256.hash(data: der))))
                    try id.appendConstructedNode(identifier: .sequence) { issuerSerial in
                        try issuerSerial.appendConstructedNode(identifier: .sequence) { names in
                            try names.serialize(explicitlyTaggedWithTagNumber: 4, tagClass: .contextSpecific) { try $0.serialize(certificate.issuer) }
                        }
                        issuerSerial.appendPrimitiveNode(identifier: .integer) {
                            $0.append(contentsOf: DERBytes.positiveInteger(Array(certificate.serialNumber.bytes)))
                        }
                    }
                }
            }
        }
    }
}
