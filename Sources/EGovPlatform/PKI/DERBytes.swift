import Foundation
import SwiftASN1
import X509

/// Small DER pieces the PKI's hand-built structures share (CRL, CMS SignedData).
enum DERBytes {
    /// A TLV around already-encoded content: `tag`, the definite length, `content`.
    static func wrap(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var bytes: [UInt8] = []
            while length > 0 { bytes.insert(UInt8(length & 0xff), at: 0); length >>= 8 }
            out.append(0x80 | UInt8(bytes.count))
            out.append(contentsOf: bytes)
        }
        return out + content
    }

    /// A certificate's DER.
    static func certificate(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// AlgorithmIdentifier { `oid`, NULL parameters }, as RSA and the SHA-2 digests are written.
    static func algorithm(_ oid: ASN1ObjectIdentifier, _ serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { alg in
            try alg.serialize(oid)
            try alg.serialize(ASN1Null())
        }
    }

    /// UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5, RFC 5652 §11.3).
    static func time(_ date: Date, _ serializer: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let (year, month, day) = (c.year ?? 1970, c.month ?? 1, c.day ?? 1)
        let (hours, minutes, seconds) = (c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        if year < 2050 {
            try serializer.serialize(try UTCTime(year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: seconds))
        } else {
            try serializer.serialize(try GeneralizedTime(year: year, month: month, day: day, hours: hours, minutes: minutes,
                                                         seconds: seconds, fractionalSeconds: 0))
        }
    }

    /// The date a UTCTime or GeneralizedTime node holds, or nil.
    static func date(_ node: ASN1Node) -> Date? {
        var c = DateComponents()
        if let utc = try? UTCTime(derEncoded: node) {
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (utc.year, utc.month, utc.day, utc.hours, utc.minutes, utc.seconds)
        } else if let generalized = try? GeneralizedTime(derEncoded: node) {
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (generalized.year, generalized.month, generalized.day,
                                                                   generalized.hours, generalized.minutes, generalized.seconds)
        } else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar.date(from: c)
    }

    /// A positive INTEGER's content for `bytes`: no redundant leading zeros, and a zero byte in front when the
    /// high bit is set (how a certificate encodes the same serial).
    static func positiveInteger(_ bytes: [UInt8]) -> [UInt8] {
        var trimmed = Array(bytes.drop { $0 == 0 })
        if trimmed.isEmpty { return [0] }
        if trimmed[0] & 0x80 != 0 { trimmed.insert(0, at: 0) }
        return trimmed
    }

    /// The children of a constructed node (empty for a primitive one).
    static func children(_ node: ASN1Node) -> [ASN1Node] {
        if case .constructed(let nodes) = node.content { return Array(nodes) }
        return []
    }

    /// The content bytes of a primitive node (empty for a constructed one).
    static func primitive(_ node: ASN1Node) -> [UInt8] {
        if case .primitive(let bytes) = node.content { return Array(bytes) }
        return []
    }
}
