import Foundation
@testable import EGovServer
import NIOCore
import Vapor
import VaporTesting

/// Small, valid PDFs written by hand for the signature tests: a page per text, classic cross-reference table.
enum TestPDF {
    static func make(pages texts: [String] = ["Quyet dinh so 15/QD-UBND"], padding: Int = 0) -> [UInt8] {
        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        func object(_ body: String) {
            offsets.append(out.count)
            out += Array("\(offsets.count) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let pageNumbers = texts.indices.map { 4 + $0 * 2 }
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [\(pageNumbers.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(texts.count) >>")
        object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (index, text) in texts.enumerated() {
            object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + index * 2) 0 R >>")
            let content = "BT /F1 14 Tf 72 760 Td (\(text)) Tj ET\n% " + String(repeating: "x", count: padding) + "\n"
            object("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }
        let xref = out.count
        out += Array("xref\n0 \(offsets.count + 1)\n0000000000 65535 f\r\n".utf8)
        for offset in offsets { out += Array((String(format: "%010d", offset) + " 00000 n\r\n").utf8) }
        out += Array("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }
}

extension TestInstallation {
    /// Sends raw bytes (a PDF, an XML document) as the body.
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, bytes: [UInt8], contentType: HTTPMediaType,
              headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        headers.contentType = contentType
        return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(bytes: bytes))
    }
}
