@testable import EGovCore
@testable import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Visible signatures: the stamp's text in the embedded Vietnamese font (read back with pdftotext), and the
/// QR codes the platform draws (read back with zbarimg, Debian zbar-tools).
@Suite("Signatures: visible stamps and QR codes")
struct SignatureStampTests {
    static var zbarAvailable: Bool { SignatureTests.toolsAvailable(["zbarimg", "pdftoppm"], from: "zbar-tools, poppler-utils", for: "the QR checks") }

    /// The QR codes zbarimg finds on the PDF's last page, drawn by pdftoppm at 300 dpi.
    static func qrCodes(onPageOf pdf: URL) throws -> [String] {
        let image = pdf.deletingPathExtension().appendingPathExtension("page")
        let drawn = try Backup.capture("pdftoppm", ["-r", "300", "-png", "-singlefile", "-l", "99", pdf.path, image.path])
        guard drawn.status == 0 else { throw TestSetupError("pdftoppm: \(drawn.output)") }
        return try Backup.capture("zbarimg", ["--nodbus", "--raw", "-q", image.path + ".png"]).output
            .split(separator: "\n").map(String.init)
    }

    @Test("QR codes of every version from 1 to 10 read back with zbarimg; longer text is refused")
    func qrCodesRead() throws {
        guard Self.zbarAvailable else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The longest text of each version at level M in byte mode, and one Vietnamese address.
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
        var texts = capacities.map { count in String((0..<count).map { Character(UnicodeScalar(UInt8(0x41 + $0 % 26))) }) }
        texts.append("https://dichvucong.tinh.gov.vn/kiem-tra-chu-ky?ma=ABCD-EFGH")
        texts.append("Ủy ban nhân dân phường Bến Thủy")
        for (index, text) in texts.enumerated() {
            let code = try QRCode(text)
            if index < capacities.count { #expect(code.version == index + 1, "\(text.count) bytes") }
            // A portable bitmap, four pixels a module, with the standard's four-module quiet zone.
            let scale = 4, side = (code.size + 8) * 4
            var pixels = "P1\n\(side) \(side)\n"
            for row in 0..<side {
                let y = row / scale - 4
                pixels += (0..<side).map { column in
                    let x = column / scale - 4
                    return (0..<code.size).contains(x) && (0..<code.size).contains(y) && code.isDark(x: x, y: y) ? "1" : "0"
                }.joined(separator: " ") + "\n"
            }
            let file = dir.appendingPathComponent("qr\(index).pbm")
            try pixels.write(to: file, atomically: true, encoding: .ascii)
            let read = try Backup.capture("zbarimg", ["--nodbus", "--raw", "-q", file.path])
            #expect(read.status == 0 && read.output.trimmingCharacters(in: .newlines) == text, "version \(code.version): \(read.output)")
        }
        #expect(throws: QRCode.Failure.tooLong) { try QRCode(String(repeating: "x", count: 214)) }
    }

    @Test("visible=true puts the signer's stamp on the last page; pdfsig still finds the signatures valid", arguments: TestDatabase.enabled)
    func visibleSignature(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: SignatureTests.pdfsigAvailable)
            defer { tools.remove() }
            let token = try await egov.token(SignatureTests.leader)
            let original = TestPDF.make(pages: ["Trang 1", "Trang 2"])
            let pin = try egov.signingPIN(SignatureTests.leader)
            let refused = try await egov.send(.POST, "/api/v1/signatures/pdf?visible=maybe", token: token, bytes: original, contentType: .pdf,
                                              headers: SignatureTests.pdfHeaders(pin: pin))
            #expect(refused.status == .badRequest && refused.body.string.contains("visible"), "\(refused.body.string)")

            let (_, twice) = try await SignatureTests.leaderThenSeal(original, query: "visible=true", in: egov)

            // Two widgets with appearances, side by side at the bottom right of the last page, not over each other.
            let widgets = try Self.widgets(twice)
            #expect(widgets.count == 2 && widgets.allSatisfy { $0.appearance }, "\(widgets)")
            if widgets.count == 2 { #expect(widgets[1].rect[2] <= widgets[0].rect[0] && widgets[0].rect[2] <= 595 && widgets[1].rect[0] >= 0) }

            guard SignatureTests.pdfsigAvailable else { return }
            let file = try tools.write(twice, "visible.pdf")
            let report = try tools.pdfsig(file)
            #expect(report.components(separatedBy: "Signature is Valid").count - 1 == 2, "\(report)")
            #expect(report.contains("Total document signed"), "\(report)")
            let text = try Backup.capture("pdftotext", ["-f", "2", "-l", "2", file.path, "-"]).output
            #expect(text.contains("Ký bởi: Hồ Sĩ Long") && text.contains("Cơ quan: Ủy ban nhân dân phường Bến Thủy"), "\(text)")
            #expect(text.contains("Ký bởi: Ủy ban nhân dân phường Bến Thủy") && text.contains("Thời gian ký:"), "\(text)")
            // No QR without a verification code: an officer's own signature points nowhere.
            if Self.zbarAvailable { #expect(try Self.qrCodes(onPageOf: file).isEmpty) }
        }
    }

    /// The signature widgets of the file's newest objects: their rectangles and whether they have an appearance.
    static func widgets(_ bytes: [UInt8]) throws -> [(rect: [Double], appearance: Bool)] {
        let file = try PDFFile(bytes)
        return try file.objects.keys.sorted().compactMap { number in
            guard let field = try file.object(number).dictionary, field["FT"]?.nameValue == "Sig", let rect = field["Rect"]?.array else { return nil }
            return (rect.compactMap { value in if case .number(let text) = value { Double(text) } else { nil } }, field["AP"] != nil)
        }
    }
}
