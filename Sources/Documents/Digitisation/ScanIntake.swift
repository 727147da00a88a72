import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Digitisation (issue 14 §9): a scanned paper document (PDF or an image, many pages) becomes an incoming document
/// of a unit, waiting in its incoming box for the clerk to register it; its original scan is kept as it came, and
/// OCR reads its text in the background (`DocumentOCR`). Without Tesseract the scan is taken all the same, with
/// OCR `off`.
enum ScanIntake {
    /// The content types a scan may have, and the file extension each is stored under.
    static let kinds: [(contentType: String, ext: String)] = [
        ("application/pdf", "pdf"), ("image/png", "png"), ("image/jpeg", "jpg"), ("image/tiff", "tif"),
    ]

    enum OCRStatus: String {
        case pending, running, done, failed, off

        var label: LocalizedText {
            switch self {
            case .pending, .running: LocalizedText(vi: "Đang chờ nhận dạng chữ (OCR)", en: "Waiting for OCR")
            case .done: LocalizedText(vi: "Đã nhận dạng chữ", en: "Text recognised")
            case .failed: LocalizedText(vi: "Nhận dạng chữ không thành công", en: "OCR failed")
            case .off: LocalizedText(vi: "Máy chủ chưa bật nhận dạng chữ (chưa cài Tesseract)", en: "OCR is off on this server (Tesseract is not installed)")
            }
        }
    }

    /// The extension a scan of `contentType` is stored under, when it is one a scan may have.
    static func ext(contentType: String?) -> String? {
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return kinds.first { $0.contentType == type }?.ext
    }

    /// The extension of a scan named `fileName` (for a folder's files).
    static func ext(fileName: String) -> String? {
        switch FileTypes.fileExtension(fileName) {
        case "pdf": "pdf"
        case "png": "png"
        case "jpg", "jpeg": "jpg"
        case "tif", "tiff": "tif"
        default: nil
        }
    }

    static func refused(_ vi: String, _ en: String) -> EGovError {
        EGovError.validation([ValidationError(field: "scan", vi: vi, en: en)])
    }

    /// Checks the scan (not empty, at most `maxBytes`, its first bytes of its kind), stores it and opens its incoming
    /// document at `unit`, at the first step of the incoming process, in one transaction.
    static func receive(_ data: Data, ext: String, fileName: String?, at unit: UnitModel, by party: ActingParty, maxBytes: Int,
                        services: PlatformServices, on db: any Database) async throws -> DocumentModel {
        guard !data.isEmpty else { throw refused("Bản quét rỗng.", "The scan is empty.") }
        guard data.count <= maxBytes else { throw EGovError.payloadTooLarge(maxBytes: maxBytes) }
        guard FileTypes.matches(ext: ext, data: data) else {
            throw refused("Nội dung tệp không đúng định dạng đã khai (\(ext.uppercased())).", "The file's content is not the declared type (\(ext.uppercased())).")
        }
        let given = fileName.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { FileTypes.isValidName($0) ? $0 : nil }
        let name = given.map { FileTypes.fileExtension($0).isEmpty ? "\($0).\(ext)" : $0 } ?? "ban-quet.\(ext)"
        let process = try await DocumentDrafting.process(DocumentDelivery.incomingProcess, on: db)
        let type = try await DocumentImport.documentType(code: nil, name: nil, on: db)
        let ocr: OCRStatus = await OCREngine(tesseract: services.configuration.tesseract).isAvailable() ? .pending : .off
        let stored = try DocumentFiles.write([(name, data)], files: services.files)

        let scan = DocumentModel(incomingAt: unit, process: process.id, type: type, subject: "Văn bản số hóa: \(name.prefix(200))", channel: .scan)
        scan.ocrStatus = ocr.rawValue
        let runtime = try await DocumentHooks.runtime(services: services, on: db)
        scan.createdAt = runtime.now
        scan.refreshSearchText()
        do {
            try await db.transaction { tx in
                let event = try await runtime.open(scan, in: process, actionID: "receive", actionName: "Tiếp nhận bản quét", by: party,
                                                   files: stored.map(\.name), auditUnitCode: unit.code, auditSummary: String(name.prefix(200)), on: tx)
                try await DocumentFiles.record(stored, on: scan, seq: event.seq, at: runtime.now, on: tx)
            }
        } catch {
            await services.files.discard(stored.filter(\.created).map(\.sha256), on: db)
            throw error
        }
        return scan
    }
}
