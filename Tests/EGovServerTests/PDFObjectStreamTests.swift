@testable import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// PDF 1.5+ files whose cross-reference is a compressed stream and whose catalog, pages and form sit in
/// compressed object streams — what most producers write today. qpdf makes them from the test PDF; the
/// platform signs them twice (an officer, then the ward's seal), and pdfsig and `qpdf --check` check the result.
@Suite("Signatures: PDFs with cross-reference and object streams")
struct PDFObjectStreamTests {
    /// Whether qpdf is installed (Debian qpdf); `.ci/run` installs it and requires it.
    static var qpdfAvailable: Bool { SignatureTests.toolsAvailable(["qpdf"], from: "qpdf", for: "the object-stream signing tests") }

    /// The test PDF rewritten by qpdf with object streams (FlateDecode, a PNG predictor on the cross-reference).
    static func compressed(in dir: URL, pages: [String] = ["Trang 1", "Trang 2"]) throws -> [UInt8] {
        let plain = dir.appendingPathComponent("plain.pdf"), packed = dir.appendingPathComponent("packed.pdf")
        try Data(TestPDF.make(pages: pages, padding: 500)).write(to: plain)
        let made = try Backup.capture("qpdf", ["--object-streams=generate", "--compress-streams=y", plain.path, packed.path])
        guard made.status == 0 else { throw TestSetupError("qpdf: \(made.output)") }
        return Array(try Data(contentsOf: packed))
    }

    static func check(_ bytes: [UInt8], in dir: URL, _ name: String) throws -> (status: Int32, output: String) {
        let file = dir.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        let checked = try Backup.capture("qpdf", ["--check", file.path])
        return (checked.status, checked.output)
    }

    @Test("the catalog and pages are read from object streams; the update is a cross-reference stream qpdf accepts")
    func readsAndUpdates() throws {
        guard Self.qpdfAvailable else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-objstm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let packed = try Self.compressed(in: dir)
        let text = String(decoding: packed, as: UTF8.self)
        // Without this, the file would be no test: qpdf really packed the structure.
        #expect(text.contains("/ObjStm") && text.contains("/XRef") && !text.contains("/Type /Catalog"))

        let file = try PDFFile(packed)
        #expect(file.usesXRefStreams)
        let root = try #require(file.trailer["Root"]?.reference)
        guard case .compressed? = file.objects[root.number] else {
            Issue.record("qpdf left the catalog outside an object stream")
            return
        }
        #expect(try file.object(root.number).dictionary?["Type"]?.nameValue == "Catalog")

        let update = try PDFSigningUpdate(packed, options: PDFSigningUpdate.Options(signingTime: Date()))
        let unsigned = try update.filled(with: [0x30, 0x00])
        #expect(unsigned.starts(with: packed))
        let tail = String(decoding: update.update, as: UTF8.self)
        #expect(tail.contains("/Type /XRef") && !tail.contains("\nxref\n"), "\(tail.suffix(400))")
        let checked = try Self.check(unsigned, in: dir, "updated.pdf")
        #expect(checked.status == 0 && checked.output.contains("No syntax or stream encoding errors"), "\(checked.output)")
        // The update's objects are found again, now as plain objects, beside the compressed ones.
        let again = try PDFFile(unsigned)
        guard case .direct? = again.objects[root.number] else {
            Issue.record("the updated catalog is not read from the update")
            return
        }
        #expect(try again.object(root.number).dictionary?["AcroForm"] != nil)
    }

    @Test("a leader signs a qpdf-packed PDF, then the ward's seal; pdfsig finds both valid", arguments: TestDatabase.enabled)
    func signsTwice(database: TestDatabase) async throws {
        guard Self.qpdfAvailable else { return }
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: SignatureTests.pdfsigAvailable)
            defer { tools.remove() }
            let packed = try Self.compressed(in: tools.dir)
            let (once, twice) = try await SignatureTests.leaderThenSeal(packed, in: egov)
            #expect(twice.starts(with: once) && once.starts(with: packed))

            let checked = try Self.check(twice, in: tools.dir, "twice.pdf")
            #expect(checked.status == 0, "\(checked.output)")
            if SignatureTests.pdfsigAvailable {
                let report = try tools.pdfsig(try tools.write(twice, "signed.pdf"))
                #expect(report.components(separatedBy: "Signature is Valid").count - 1 == 2, "\(report)")
                #expect(report.components(separatedBy: "Certificate is Trusted").count - 1 == 2, "\(report)")
                #expect(report.contains("Total document signed"), "\(report)")
            }
            let verified = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: twice, contentType: .pdf)
            let result = try verified.content.decode(SignatureService.Report.self)
            #expect(result.valid && result.signatures.count == 2 && result.signatures.allSatisfy(\.intact), "\(verified.body.string)")
        }
    }

    /// A hand-made PDF 1.5 whose cross-reference is an unfiltered stream: catalog 1, pages 2, page 3, the stream
    /// 4; `xrefEntries` replaces the stream dictionary's entries, `extra` adds objects (numbered from 5) first.
    static func handmade(xrefEntries: String? = nil, extra: [[UInt8]] = [], catalogIn stream: Int? = nil) -> [UInt8] {
        var out = Array("%PDF-1.5\n".utf8)
        var offsets: [Int: Int] = [:]
        func object(_ number: Int, _ body: [UInt8]) {
            offsets[number] = out.count
            out += Array("\(number) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        if stream == nil { object(1, Array("<< /Type /Catalog /Pages 2 0 R >>".utf8)) }
        object(2, Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
        object(3, Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".utf8))
        for (index, body) in extra.enumerated() { object(5 + index, body) }
        let xrefAt = out.count
        var data: [UInt8] = [0, 0, 0, 0, 0, 0xFF, 0xFF]
        for number in 1...(4 + extra.count) {
            if number == 1, let stream {
                data += [2, 0, 0, 0, UInt8(stream), 0, 0]
                continue
            }
            let offset = number == 4 ? xrefAt : offsets[number] ?? 0
            data += [1, UInt8(offset >> 24 & 0xFF), UInt8(offset >> 16 & 0xFF), UInt8(offset >> 8 & 0xFF), UInt8(offset & 0xFF), 0, 0]
        }
        let size = 5 + extra.count
        let entries = xrefEntries ?? "/Type /XRef /Size \(size) /W [1 4 2] /Root 1 0 R"
        out += Array("4 0 obj\n<< \(entries) /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream\nendobj\n".utf8)
        out += Array("startxref\n\(xrefAt)\n%%EOF\n".utf8)
        return out
    }

    @Test("hostile cross-reference and object streams: absurd widths, counts, an inflating bomb and broken rows are refused, never a crash")
    func hostileStreams() throws {
        // The hand-made file itself is read from its stream.
        let plain = try PDFFile(Self.handmade())
        #expect(plain.usesXRefStreams && plain.objects.count == 4)
        _ = try PDFSigningUpdate(Self.handmade(), options: PDFSigningUpdate.Options(signingTime: Date()))

        // Sections that cannot be believed are replaced by the scan, which finds the plain objects.
        for entries in ["/Type /XRef /Size 5 /W [1 9 2] /Root 1 0 R", "/Type /XRef /Size 5 /W [1 4 2] /Index [0 8388607] /Root 1 0 R",
                        "/Type /XRef /Size 5 /W [1 4 2] /Index [-3 5] /Root 1 0 R", "/Type /XRef /Size 5 /W [0 0 0] /Root 1 0 R",
                        "/Type /XRef /Size 5 /W [1 4 2] /Prev 9 /Root 1 0 R", "/Type /XRef /Size 99999999999 /W [1 4 2] /Root 1 0 R",
                        "/Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /LZWDecode"] {
            let file = try PDFFile(Self.handmade(xrefEntries: entries))
            #expect(file.objects.count == 4, "\(entries)")
        }

        // A catalog in an object stream that claims a billion objects, or whose header is garbage.
        for header in ["/Type /ObjStm /N 1000000000 /First 4", "/Type /ObjStm /N 1 /First 99999"] {
            let body = Array("<< \(header) /Length 40 >>\nstream\n1 0 << /Type /Catalog /Pages 2 0 R >>\nendstream".utf8)
            let file = try PDFFile(Self.handmade(extra: [body], catalogIn: 5))
            #expect(throws: PDFParser.Malformed.self, "\(header)") { try file.object(1) }
        }

        // Garbage where deflate data should be; a predictor row of an unknown type.
        #expect(throws: PDFParser.Malformed.self) { try PDFStream.inflate(ArraySlice(Array("not deflate at all".utf8))) }
        #expect(throws: PDFParser.Malformed.self) { try PDFStream.unpredictPNG([9, 1, 2, 3], columns: 3, colors: 1, bitsPerComponent: 8) }
        #expect(throws: PDFParser.Malformed.self) { try PDFStream.unpredictPNG([0, 1], columns: 0, colors: 1, bitsPerComponent: 8) }
        #expect(try PDFStream.unpredictPNG([2, 1, 2, 3, 2, 1, 1, 1], columns: 3, colors: 1, bitsPerComponent: 8) == [1, 2, 3, 2, 3, 4])

        // 80 MB of zeros deflated to a few tens of kilobytes: decoding stops at its bound.
        guard Self.qpdfAvailable else { return }
        let bomb = try Backup.capture("sh", ["-c", "head -c 80000000 /dev/zero | zlib-flate -compress | base64 -w0"])
        let deflated = try #require(Data(base64Encoded: bomb.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(deflated.count < 1_000_000)
        #expect(throws: PDFParser.Malformed.self) { try PDFStream.inflate(ArraySlice(Array(deflated))) }
        let body = Array("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length \(deflated.count) >>\nstream\n".utf8) + Array(deflated) + Array("\nendstream".utf8)
        let file = try PDFFile(Self.handmade(extra: [body], catalogIn: 5))
        #expect(throws: PDFParser.Malformed.self) { try file.object(1) }
        // A small deflated stream decodes.
        let small = try Backup.capture("sh", ["-c", "printf 'egov' | zlib-flate -compress | base64 -w0"])
        #expect(try PDFStream.inflate(ArraySlice(Array(try #require(Data(base64Encoded: small.output.trimmingCharacters(in: .whitespacesAndNewlines)))))) == Array("egov".utf8))
    }
}
