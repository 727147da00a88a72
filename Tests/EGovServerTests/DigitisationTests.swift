@testable import Documents
import EGovCore
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §9: digitisation. A clerk uploads a scan; it waits in the unit's incoming box; OCR (Tesseract,
/// Vietnamese) reads it in the background and the search finds it by words of its text, without accents.
@Suite("Documents: digitisation and OCR")
struct DigitisationTests {
    static let justice = DocumentsTests.justice
    static let boxes = [("Hội nghị tổng kết công tác tư pháp", "Sở Tư pháp tỉnh Vân An"),
                        ("Kế hoạch kiểm tra văn bản quy phạm", "Ủy ban nhân dân tỉnh")]

    struct Scan: Decodable {
        let id: UUID
        let direction, status, step: String
        struct OCR: Decodable { let status: String; let confidence: Double?; let text: String? }
        let ocr: OCR?
        struct File: Decodable { let id: UUID; let name: String }
        let files: [File]
    }

    struct Page: Decodable {
        struct Item: Decodable { let id: UUID }
        let items: [Item]
        let total: Int
    }

    static var toolsPresent: Bool {
        SignatureTests.toolsAvailable(["tesseract", "pdftoppm"], from: "tesseract-ocr, tesseract-ocr-vie, poppler-utils",
                                      for: "the OCR test")
    }

    @Test("a generated Vietnamese scan is kept as it came, waits for registration, and once OCR has read it an accent-free query finds it",
          arguments: TestDatabase.enabled)
    func ocr(database: TestDatabase) async throws {
        guard Self.toolsPresent else { return }
        try await TestInstallation.with(database) { egov in
            let token = try await egov.login("vanthu.stp")
            let png = try TestScan.png(Self.boxes)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentDisposition, value: #"attachment; filename="hoi-nghi.png""#)
            let created = try await egov.send(.POST, "/api/v1/documents/scans?unit=\(Self.justice)", token: token, bytes: png,
                                              contentType: .png, headers: headers)
            #expect(created.status == .created, "\(created.body.string)")
            let scan = try created.content.decode(Scan.self)
            #expect(scan.direction == "incoming" && scan.step == "registration" && scan.ocr?.status == "pending")
            // Not found by its words before OCR has read it.
            func search(_ q: String) async throws -> [UUID] {
                let page = try await egov.send(.GET, "/api/v1/documents?box=incoming&q=\(q)", token: token)
                return try page.content.decode(Page.self).items.map(\.id)
            }
            #expect(try await search("hoi+nghi+tong+ket").isEmpty)

            let read = try await DocumentOCR.run(services: egov.app.egov, on: egov.app.db, logger: egov.app.logger)
            #expect(read == 1)
            let done = try await egov.send(.GET, "/api/v1/documents/\(scan.id)", token: token).content.decode(Scan.self)
            #expect(done.ocr?.status == "done" && (done.ocr?.confidence ?? 0) > 0.6, "\(String(describing: done.ocr))")
            let text = done.ocr?.text ?? ""
            #expect(text.contains("Hội nghị tổng kết") && text.contains("tư pháp"), "\(text)")
            #expect(text == text.precomposedStringWithCanonicalMapping, "the text is NFC")
            // Accent-free words of its text find it; words it does not have do not.
            #expect(try await search("hoi+nghi+tong+ket") == [scan.id])
            #expect(try await search("ke+hoach+kiem+tra") == [scan.id])
            #expect(try await search("giay+phep+xay+dung").isEmpty)
            // The original scan is kept byte for byte.
            let file = try #require(done.files.first)
            let download = try await egov.send(.GET, "/api/v1/documents/\(scan.id)/files/\(file.id)", token: token)
            #expect(file.name == "hoi-nghi.png" && Array(download.body.readableBytesView) == png)
            // Read once: the job finds nothing more.
            #expect(try await DocumentOCR.run(services: egov.app.egov, on: egov.app.db, logger: egov.app.logger) == 0)
            // The clerk registers it with what the paper says: without it, refused; details go with that registration only.
            let bare = try await egov.send(.POST, "/api/v1/documents/\(scan.id)/actions/register", token: token, json: "{}")
            #expect(bare.status == .badRequest && bare.body.string.contains("details"), "\(bare.body.string)")
            let details = #"{"details":{"type":"ke-hoach","subject":"Kế hoạch tổ chức hội nghị tổng kết công tác tư pháp","senderName":"Ủy ban nhân dân tỉnh","senderCode":"000.00.00.H99","senderNotation":"12/KH-UBND","documentDate":"2026-11-20"}}"#
            let registered = try await egov.send(.POST, "/api/v1/documents/\(scan.id)/actions/register", token: token, json: details)
            #expect(registered.status == .ok, "\(registered.body.string)")
            struct Registered: Decodable { let subject, type, status: String; let senderNotation: String?; let arrivalNumber: Int? }
            let after = try registered.content.decode(Registered.self)
            #expect(after.subject == "Kế hoạch tổ chức hội nghị tổng kết công tác tư pháp" && after.type == "ke-hoach"
                    && after.senderNotation == "12/KH-UBND" && after.arrivalNumber == 1 && after.status == "assigning")
            // Found by its notation now, and still by the words OCR read.
            #expect(try await search("kh+ubnd+12") == [scan.id])
            #expect(try await search("ke+hoach+kiem+tra") == [scan.id])
        }
    }

    /// The OCR's tools ran through a `Pipe` with a `readabilityHandler`, whose teardown races libdispatch on Linux
    /// and crashed the server in `_dispatch_event_loop_drain` (a browser journey in CI). Reproduced outside the
    /// server with 16 tasks running `echo` this way: 3 crashes in 3 runs of 20,000; through the file now, none in
    /// 60,000. Here, many short children at once, each one's output its own, and a chatty child's output capped.
    @Test("the tools' runner keeps each of many concurrent children's output and caps a long one at 64 KB")
    func toolRunner() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for run in 0..<150 {
                        let result = try await OCREngine.run("echo", ["child-\(worker)-\(run)"], timeout: 30)
                        #expect(result.status == 0)
                        #expect(result.output == "child-\(worker)-\(run)\n")
                    }
                }
            }
            try await group.waitForAll()
        }
        let long = try await OCREngine.run("seq", ["1", "200000"], timeout: 30)
        #expect(long.status == 0)
        #expect(long.output.utf8.count == 65_536)
        #expect(long.output.hasPrefix("1\n2\n3\n"))
        let failing = try await OCREngine.run("sh", ["-c", "echo nope >&2; exit 3"], timeout: 30)
        #expect(failing.status == 3)
        #expect(failing.output == "nope\n")
    }

    @Test("without Tesseract the upload works and says OCR is off; wrong types, lying bytes, empty bodies and other units' clerks are refused, nothing stored",
          arguments: TestDatabase.enabled)
    func offAndRefusals(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.tesseract = nil }) { egov in
            let token = try await egov.login("vanthu.stp")
            let pdf = TestPDF.make()
            let created = try await egov.send(.POST, "/api/v1/documents/scans", token: token, bytes: pdf, contentType: .pdf)
            #expect(created.status == .created, "\(created.body.string)")
            let scan = try created.content.decode(Scan.self)
            #expect(scan.ocr?.status == "off" && scan.files.map(\.name) == ["ban-quet.pdf"])
            #expect(try await DocumentOCR.run(services: egov.app.egov, on: egov.app.db, logger: egov.app.logger) == 0)

            let before = try await DocumentModel.query(on: egov.app.db).count()
            let refusals: [(HTTPMediaType, [UInt8], HTTPStatus)] = [
                (.plainText, Array("hello".utf8), .badRequest),                 // not a scan's type
                (.png, pdf, .badRequest),                                        // a PDF sent as a PNG
                (.pdf, [], .badRequest),                                         // nothing
                (HTTPMediaType(type: "image", subType: "tiff"), Array("II*\u{0}".utf8) + Array(repeating: 0, count: 4), .created),
            ]
            for (type, bytes, status) in refusals {
                let response = try await egov.send(.POST, "/api/v1/documents/scans", token: token, bytes: bytes, contentType: type)
                #expect(response.status == status, "\(type) \(bytes.count) bytes: \(response.status) \(response.body.string)")
            }
            #expect(try await DocumentModel.query(on: egov.app.db).count() == before + 1, "only the TIFF is taken")
            // Another unit's clerk, a specialist: not their unit, not a clerk.
            let other = try await egov.send(.POST, "/api/v1/documents/scans?unit=\(DocumentsTests.interior)", token: token, bytes: pdf,
                                            contentType: .pdf)
            #expect(other.status == .badRequest, "\(other.body.string)")
            let notClerk = try await egov.send(.POST, "/api/v1/documents/scans", token: try await egov.login("chuyenvien.stp"),
                                               bytes: pdf, contentType: .pdf)
            #expect(notClerk.status == .forbidden)
            // Larger than the upload limit: 413.
            let large = pdf + Array(repeating: 0x20, count: egov.app.egov.configuration.maxUploadBytes)
            #expect(try await egov.send(.POST, "/api/v1/documents/scans", token: token, bytes: large, contentType: .pdf).status == .payloadTooLarge)
            #expect(try await DocumentModel.query(on: egov.app.db).count() == before + 1)

            // The page: a clerk uploads through the form; the scan is in the incoming box, OCR said to be off.
            let clerk = egov.browser()
            #expect(try await clerk.signIn("vanthu.stp").status == .seeOther)
            #expect(try await clerk.get("/van-ban/so-hoa").status == .ok)
            let uploaded = try await clerk.post("/van-ban/so-hoa", form: ["unit": Self.justice],
                                                file: (field: "scan", name: "cong-van-den.pdf", type: "application/pdf", bytes: pdf))
            #expect(uploaded.status == .seeOther && uploaded.headers.first(name: .location) == "/van-ban?box=incoming&notice=1")
            let box = try await clerk.get("/van-ban?box=incoming&notice=1")
            #expect(box.body.string.contains("Đã tiếp nhận 1 bản quét.") && box.body.string.contains("Văn bản số hóa: cong-van-den.pdf"))
            // A file that is not a scan: the form again with the reason, nothing taken.
            let wrong = try await clerk.post("/van-ban/so-hoa", form: ["unit": Self.justice],
                                             file: (field: "scan", name: "ghi-chu.pdf", type: "application/pdf", bytes: Array("hello".utf8)))
            #expect(wrong.status == .badRequest && wrong.body.string.contains("ghi-chu.pdf"))
            #expect(try await DocumentModel.query(on: egov.app.db).count() == before + 2)
            let specialist = egov.browser()
            #expect(try await specialist.signIn("chuyenvien.stp").status == .seeOther)
            #expect(try await specialist.get("/van-ban/so-hoa").status == .forbidden)

            // Registered through the page: the register form of a scan asks what the paper says.
            let uploadedScan = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$subject == "Văn bản số hóa: cong-van-den.pdf").first())
            let path = "/van-ban/\(try uploadedScan.requireID().uuidString.lowercased())"
            let page = try await clerk.get(path)
            #expect(page.body.string.contains(#"id="action-register-subject""#) && page.body.string.contains(#"id="action-register-senderNotation""#))
            let missing = try await clerk.post(path + "/thao-tac/register", form: ["type": "cong-van", "subject": "Công văn đề nghị cung cấp thông tin",
                                                                                  "senderName": "Sở Xây dựng", "senderNotation": "không có số"])
            #expect(missing.status == .badRequest && missing.body.string.contains("15/QĐ-UBND"))
            let done = try await clerk.post(path + "/thao-tac/register", form: ["type": "cong-van", "subject": "Công văn đề nghị cung cấp thông tin",
                                                                               "senderName": "Sở Xây dựng", "senderNotation": "45/SXD-VP",
                                                                               "documentDate": "2026-11-30", "urgency": "khan"])
            #expect(done.status == .seeOther, "\(done.body.string.prefix(300))")
            let registered = try #require(try await DocumentModel.find(uploadedScan.requireID(), on: egov.app.db))
            #expect(registered.subject == "Công văn đề nghị cung cấp thông tin" && registered.senderNotation == "45/SXD-VP"
                    && registered.urgency == "khan" && registered.arrivalNumber != nil)
        }
    }

    @Test("a folder of scans is imported with its progress, read by OCR, and a second run skips what is there", arguments: TestDatabase.enabled)
    func importFolder(database: TestDatabase) async throws {
        guard Self.toolsPresent else { return }
        try await TestInstallation.with(database) { egov in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egov-scans-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Data(try TestScan.pdf(Self.boxes)).write(to: folder.appendingPathComponent("01-hoi-nghi.pdf"))
            try Data(TestPDF.make()).write(to: folder.appendingPathComponent("02-quyet-dinh.pdf"))
            try Data("not a scan".utf8).write(to: folder.appendingPathComponent("ghi-chu.txt"))
            try Data("%PDF".utf8.reversed()).write(to: folder.appendingPathComponent("03-hong.pdf"))
            let lines = LineCollector()
            let summary = try await ScanImport.run(folder: folder, unit: Self.justice, services: egov.app.egov, on: egov.app.db,
                                                   logger: egov.app.logger) { lines.add($0) }
            #expect(summary.imported == 2 && summary.read == 2 && summary.refused.map(\.file) == ["03-hong.pdf"] && summary.skipped == ["ghi-chu.txt"])
            #expect(lines.all.contains("importing 1 / 3: 01-hoi-nghi.pdf") && lines.all.contains("OCR 2 / 2"), "\(lines.all)")
            let page = try await egov.send(.GET, "/api/v1/documents?box=incoming&q=hoi+nghi+tong+ket", token: try await egov.login("vanthu.stp"))
            #expect(try page.content.decode(Page.self).total == 1)
            let again = try await ScanImport.run(folder: folder, unit: Self.justice, services: egov.app.egov, on: egov.app.db,
                                                 logger: egov.app.logger) { _ in }
            #expect(again.imported == 0 && again.skipped.sorted() == ["01-hoi-nghi.pdf", "02-quyet-dinh.pdf", "ghi-chu.txt"])
        }
    }
}

/// Progress lines, as a command prints them.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
