import Crypto
import Foundation
import X509
import _CryptoExtras

/// The signing hot path measured in-process (`egov bench-signatures`, `bench/signatures.sh`): a PAdES
/// signature on a PDF of a given size, beside the bare RSA-2048 signature of one digest with the same key,
/// which is the ceiling, the same with a signature time-stamp (PAdES B-T), an enveloped XML-DSig signature of an edXML
/// message, and the PDF path with an ECDSA P-256 key beside a bare P-256 signature. Opening the key with the PIN
/// (PBKDF2, deliberately slow) is measured apart.
public enum SigningBenchmark {
    public struct Result: Sendable {
        public let pdfBytes: Int
        public let pdfPerSecond: Double
        /// The same with the signature time-stamp the locality TSA adds (PAdES B-T): a second RSA signature.
        public let pdfTimeStampedPerSecond: Double
        public let rsaPerSecond: Double
        public let pinUnlocksPerSecond: Double
        public let signedBytes: Int
        /// Enveloped XML-DSig signatures of an edXML message of `xmlBytes` (key loaded each time, as a request does).
        public let xmlBytes: Int
        public let xmlPerSecond: Double
        /// The PDF path with an ECDSA P-256 key, and the bare P-256 signature of one digest.
        public let pdfP256PerSecond: Double
        public let p256PerSecond: Double
    }

    /// An edXML message of about `size` bytes: a header and a body of Vietnamese text.
    public static func edXML(size: Int) -> [UInt8] {
        let line = "<edXML:Paragraph>Ủy ban nhân dân phường báo cáo kết quả giải quyết thủ tục hành chính.</edXML:Paragraph>\n"
        let body = String(repeating: line, count: max(1, (size - 400) / line.utf8.count))
        return Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader><edXML:MessageHeader>\
            <edXML:From><edXML:OrganId>000.00.31.H99</edXML:OrganId></edXML:From><edXML:Subject>Báo cáo</edXML:Subject>\
            </edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody>
            \(body)</edXML:edXMLBody></edXML:edXMLEnvelope>
            """.utf8)
    }

    /// A PDF of about `size` bytes: one page whose content stream is padded with a comment.
    public static func pdf(size: Int) -> [UInt8] {
        var out = Array("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        let content = "BT /F1 14 Tf 72 760 Td (Ket qua giai quyet thu tuc hanh chinh) Tj ET\n%"
            + String(repeating: "x", count: max(0, size - 600)) + "\n"
        let bodies = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                      "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream"]
        for (index, body) in bodies.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(bodies.count + 1)\n0000000000 65535 f\r\n".utf8)
        for offset in offsets {
            let text = String(offset)
            out += Array((String(repeating: "0", count: 10 - text.count) + text + " 00000 n\r\n").utf8)
        }
        out += Array("trailer\n<< /Size \(bodies.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    /// Signs the same `pdfBytes`-sized PDF for `seconds`, then signs bare digests for `seconds`.
    public static func run(pdfBytes: Int, xmlBytes: Int, seconds: Double) throws -> Result {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = Certificate.PrivateKey(rsa)
        let name = try DistinguishedName { CountryName("VN"); OrganizationName("Benchmark"); CommonName("Người ký thử") }
        let now = Date()
        let certificate = try Certificate(version: .v3, serialNumber: CertificateAuthority.serialNumber(), publicKey: key.publicKey,
                                          notValidBefore: now - 60, notValidAfter: now + 86_400, issuer: name, subject: name,
                                          signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(), issuerPrivateKey: key)
        let signer = CMSSignedData.Signer(certificate: certificate, chain: []) { bytes in
            Array(try rsa.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation)
        }
        let document = pdf(size: pdfBytes)
        let options = PDFSigningUpdate.Options(signingTime: now)

        func measure(_ body: () throws -> Void) rethrows -> Double {
            try body() // warm-up
            var count = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                try body()
                count += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            return Double(count) / elapsed
        }

        var signedBytes = 0
        // The service's own path (SignatureService.signPDF without the PIN unlock and the audit record).
        let pdfRate = try measure {
            signedBytes = try PDFSigningUpdate(document, options: options).signed(by: signer, stamper: nil, at: now).count
        }
        let stamper = TimeStampAuthority.Stamper(certificate: certificate, chain: [], key: rsa)
        let timeStampedRate = try measure {
            _ = try PDFSigningUpdate(document, options: options).signed(by: signer, stamper: stamper, at: now)
        }
        let digest = Array(SHA256.hash(data: Array("egov".utf8)))
        let rsaRate = try measure { _ = try rsa.signature(for: digest, padding: .insecurePKCS1v1_5) }
        let sealed = try SealedSecret.seal(rsa.derRepresentation, under: "123456")
        let unlockRate = try measure { _ = try sealed.open(with: "123456") }
        let message = edXML(size: xmlBytes)
        let (pem, der) = (rsa.pemRepresentation, try DERBytes.certificate(certificate))
        let xmlRate = try measure { _ = try XMLSignature.prepare(message).sign(keyPEM: pem, certificates: [der]) }

        // The same PDF path with a P-256 key, certified by the RSA key as the locality CA does.
        let p256 = SigningKey.p256(P256.Signing.PrivateKey())
        let p256Certificate = try Certificate(version: .v3, serialNumber: CertificateAuthority.serialNumber(), publicKey: p256.certificateKey.publicKey,
                                              notValidBefore: now - 60, notValidAfter: now + 86_400, issuer: name, subject: name,
                                              signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(), issuerPrivateKey: key)
        let p256Signer = CMSSignedData.Signer(certificate: p256Certificate, chain: [certificate], key: p256)
        let pdfP256Rate = try measure { _ = try PDFSigningUpdate(document, options: options).signed(by: p256Signer, stamper: nil, at: now) }
        let p256Rate = try measure { _ = try p256.sign(digest) }
        return Result(pdfBytes: document.count, pdfPerSecond: pdfRate, pdfTimeStampedPerSecond: timeStampedRate, rsaPerSecond: rsaRate, pinUnlocksPerSecond: unlockRate,
                      signedBytes: signedBytes, xmlBytes: message.count, xmlPerSecond: xmlRate, pdfP256PerSecond: pdfP256Rate, p256PerSecond: p256Rate)
    }
}
