import AsyncHTTPClient
import Crypto
import EGovCore
import Foundation
import NIOCore
import SwiftASN1
import X509

/// An outside RFC 3161 time-stamping authority (`EGOV_TSA_URL`: the Government's, a provider's, another
/// installation's `/api/v1/pki/tsa`), used instead of the locality's own for the signature time-stamps on PDF
/// signatures (PAdES B-T) and the audit log's seals (issue 13 §3b). A request goes over HTTP as RFC 3161 §3.4
/// says (`application/timestamp-query`), with a fresh nonce and a request for the TSA's certificate; a token is
/// taken only when it holds here: it stamps the hash that was sent, echoes the nonce, is signed by a
/// time-stamping certificate that leads to a CA trusted here (the locality's own or one added under
/// `/api/v1/pki/trusted`), and its time agrees with this server's clock.
public struct ExternalTimeStampAuthority: Sendable {
    public let url: String
    let client: HTTPClient

    /// How long a request may take, from connecting to the last byte of the reply.
    static let timeout: TimeAmount = .seconds(10)
    /// The largest reply read: a token with a chain of a few certificates is a few kilobytes.
    static let maxReply = 64 * 1024
    /// How far the token's time may be from this server's clock.
    static let maxClockSkew: TimeInterval = 15 * 60

    public init(url: String, client: HTTPClient) {
        self.url = url
        self.client = client
    }

    /// Why no token came, in words an officer (Vietnamese) and the ICT team can act on.
    public struct Failure: Error, CustomStringConvertible {
        public let reason: LocalizedText
        public var description: String { reason.en }

        init(_ vi: String, _ en: String) { reason = LocalizedText(vi: vi, en: en) }
    }

    /// Whether `url` can name a TSA: an absolute http or https address with a host.
    public static func isUsable(_ url: String) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else { return false }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }

    /// A DER TimeStampReq (RFC 3161 §2.4.1): version 1, the SHA-256 imprint, the nonce, certReq TRUE.
    static func request(sha256 digest: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { request in
            try request.serialize(1)
            try request.appendConstructedNode(identifier: .sequence) { imprint in
                try DERBytes.algorithm(CMSSignedData.sha256, &imprint)
                try imprint.serialize(ASN1OctetString(contentBytes: ArraySlice(digest)))
            }
            request.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) }
            try request.serialize(true)
        }
        return serializer.serializedBytes
    }

    /// A nonce of 64 random bits, written as a positive INTEGER's minimal content bytes (so that a TSA that
    /// re-encodes it echoes the same bytes).
    static func freshNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var nonce = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
        nonce[0] = nonce[0] & 0x7F | 0x01
        return nonce
    }

    /// The token in a DER TimeStampResp (RFC 3161 §2.4.2), when its status is granted (0) or granted with
    /// modifications (1).
    static func token(inReply der: [UInt8]) throws(Failure) -> [UInt8] {
        guard let root = try? DER.parse(der), root.identifier == .sequence else {
            throw Failure("Trả lời của dịch vụ cấp dấu thời gian không phải là TimeStampResp (RFC 3161).",
                          "The time-stamping authority's reply is not a TimeStampResp (RFC 3161).")
        }
        let parts = DERBytes.children(root)
        guard let statusInfo = parts.first, let statusNode = DERBytes.children(statusInfo).first,
              let status = try? Int(derEncoded: statusNode) else {
            throw Failure("Trả lời của dịch vụ cấp dấu thời gian không có trạng thái.", "The time-stamping authority's reply has no status.")
        }
        guard status == 0 || status == 1 else {
            throw Failure("Dịch vụ cấp dấu thời gian từ chối yêu cầu (trạng thái \(status)).",
                          "The time-stamping authority refused the request (status \(status)).")
        }
        guard parts.count == 2 else {
            throw Failure("Dịch vụ cấp dấu thời gian chấp nhận nhưng không gửi dấu thời gian.",
                          "The time-stamping authority granted the request but sent no token.")
        }
        return Array(parts[1].encodedBytes)
    }

    /// A time-stamp token over the SHA-256 `digest`, checked as this type's summary says against `anchors` and
    /// `now`; otherwise a `Failure` that says what went wrong.
    public func token(sha256 digest: [UInt8], anchors: [Certificate], now: Date) async throws(Failure) -> [UInt8] {
        let nonce = Self.freshNonce()
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/timestamp-query")
        request.headers.add(name: "Accept", value: "application/timestamp-reply")
        let unreachable = Failure("Không kết nối được dịch vụ cấp dấu thời gian \(url).", "The time-stamping authority \(url) cannot be reached.")
        do {
            request.body = .bytes(try Self.request(sha256: digest, nonce: nonce))
        } catch {
            throw unreachable
        }
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            guard response.status == .ok else {
                throw Failure("Dịch vụ cấp dấu thời gian trả lời mã HTTP \(response.status.code).",
                              "The time-stamping authority answered HTTP \(response.status.code).")
            }
            body = try await response.body.collect(upTo: Self.maxReply)
        } catch let failure as Failure {
            throw failure
        } catch is NIOTooManyBytesError {
            throw Failure("Trả lời của dịch vụ cấp dấu thời gian lớn hơn \(Self.maxReply / 1024) KB.",
                          "The time-stamping authority's reply is larger than \(Self.maxReply / 1024) KB.")
        } catch {
            throw unreachable
        }
        let der = try Self.token(inReply: Array(body.readableBytesView))
        guard let token = try? TimeStampToken(der) else {
            throw Failure("Không đọc được dấu thời gian nhận về.", "The time-stamp token received cannot be read.")
        }
        guard token.nonce == nonce, token.imprint == digest else {
            throw Failure("Dấu thời gian nhận về không dành cho yêu cầu này (giá trị băm hoặc nonce khác).",
                          "The time-stamp token is not for this request (another imprint or nonce).")
        }
        guard token.holds(sha256: digest, anchors: anchors) else {
            throw Failure("Dấu thời gian nhận về không do một chứng thư cấp dấu thời gian thuộc CA được tin cậy ở đây ký.",
                          "The time-stamp token is not signed by a time-stamping certificate of a CA trusted here.")
        }
        guard abs(token.genTime.timeIntervalSince(now)) <= Self.maxClockSkew else {
            throw Failure("Thời gian trong dấu thời gian lệch quá 15 phút so với đồng hồ máy chủ.",
                          "The token's time differs from this server's clock by more than 15 minutes.")
        }
        return der
    }
}
