import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Logging

/// `egov documents import-scans DIR --unit CODE` (issue 14 §9): every scan in a folder (PDF, PNG, JPEG, TIFF; by
/// name, in name order) becomes a digitised incoming document of the unit, then OCR reads them. A scan already
/// digitised at that unit (the same bytes) is skipped, so an interrupted import is simply run again.
public enum ScanImport {
    public struct Summary: Sendable {
        public var imported = 0
        public var skipped: [String] = []
        public var refused: [(file: String, reason: String)] = []
        public var read = 0
        public var ocrOff = false
    }

    /// The largest file taken from a folder (the server's upload limit does not apply to local files).
    static let maxBytes = 200 * 1024 * 1024

    public static func run(folder: URL, unit code: String, services: PlatformServices, on db: any Database, logger: Logger,
                           progress: @escaping @Sendable (String) -> Void) async throws -> Summary {
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == code).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có đơn vị “\(code)”.", en: "No unit “\(code)”."))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var summary = Summary()
        let scans = names.filter { ScanIntake.ext(fileName: $0) != nil }
        summary.skipped = names.filter { ScanIntake.ext(fileName: $0) == nil && !$0.hasPrefix(".") }
        for (index, name) in scans.enumerated() {
            progress("importing \(index + 1) / \(scans.count): \(name)")
            guard let ext = ScanIntake.ext(fileName: name) else { continue }
            do {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                if try await alreadyDigitised(Digests.sha256Hex(data), at: unit.code, on: db) {
                    summary.skipped.append(name)
                    continue
                }
                _ = try await ScanIntake.receive(data, ext: ext, fileName: name, at: unit, by: .system, maxBytes: maxBytes, services: services, on: db)
                summary.imported += 1
            } catch let error as EGovError {
                summary.refused.append((name, error.detail.en))
            }
        }
        guard summary.imported > 0 else { return summary }
        guard await OCREngine(tesseract: services.configuration.tesseract).isAvailable() else {
            summary.ocrOff = true
            return summary
        }
        // OCR here and now, the oldest waiting first (these, unless others were waiting already).
        while true {
            let done = summary.read
            let read = try await DocumentOCR.run(limit: 1, services: services, on: db, logger: logger)
            guard read > 0 else { break }
            summary.read += read
            progress("OCR \(done + read) / \(summary.imported)")
        }
        return summary
    }

    /// Whether the scan with these bytes is already a digitised document of `unit`.
    static func alreadyDigitised(_ sha256: String, at unit: String, on db: any Database) async throws -> Bool {
        let documents = try await DocumentFileModel.query(on: db).filter(\.$sha256 == sha256).all().map(\.documentID)
        guard !documents.isEmpty else { return false }
        return try await DocumentModel.query(on: db).filter(\.$id ~~ documents).filter(\.$draftingUnitCode == unit)
            .filter(\.$channel == DocumentModel.Channel.scan.rawValue).count() > 0
    }
}
