import Crypto
import Foundation
import SwiftASN1
import X509

/// A signature time-stamp token (RFC 3161) read back from a signature: the time it vouches for, and whether it
/// holds — its own signature over its TSTInfo, its imprint the SHA-256 of the signature value it stamps, made by
/// a certificate for time-stamping that leads to a CA trusted here.
struct TimeStampToken: Sendable {
    let genTime: Date
    let imprint: [UInt8]
    /// The nonce the request sent, echoed (the INTEGER's content bytes), when there was one.
    let nonce: [UInt8]?
    let cms: CMSSignature
    let intact: Bool

    init(_ der: [UInt8]) throws {
        cms = try CMSSignature(der)
        guard let info = cms.encapsulatedContent, let root = try? DER.parse(info) else {
            throw CMSSignature.Malformed(description: "no TSTInfo")
        }
        let fields = DERBytes.children(root)
        // TSTInfo { version, policy, messageImprint { hashAlgorithm, hashedMessage }, serialNumber, genTime, … }
        guard fields.count >= 5, let hashed = DERBytes.children(fields[2]).last, let time = DERBytes.date(fields[4]) else {
            throw CMSSignature.Malformed(description: "bad TSTInfo")
        }
        imprint = DERBytes.primitive(hashed)
        genTime = time
        // After genTime: accuracy (a SEQUENCE) and ordering (a BOOLEAN), both optional, then the nonce.
        nonce = fields.dropFirst(5).first { $0.identifier == .integer }.map(DERBytes.primitive)
        intact = cms.verifies(content: [info[...]])
    }

    /// Whether the token stamps `signatureValue` and a time-stamping certificate leading to `anchors` made it.
    func holds(for signatureValue: [UInt8], anchors: [Certificate]) -> Bool {
        holds(sha256: Array(SHA256.hash(data: signatureValue)), anchors: anchors)
    }

    /// Whether the token stamps the SHA-256 `digest` and a time-stamping certificate leading to `anchors`,
    /// valid at the token's time, made it.
    func holds(sha256 digest: [UInt8], anchors: [Certificate]) -> Bool {
        guard intact, imprint == digest, let tsa = cms.signer,
              (try? tsa.extensions.extendedKeyUsage)??.contains(.timeStamping) == true,
              genTime >= tsa.notValidBefore, genTime <= tsa.notValidAfter else { return false }
        return TrustedAuthorities.chains(tsa, through: cms.certificates, to: anchors)
    }
}
