import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Logging
import SQLKit

/// The background job that reads scans (issue 14 §9): each pending scan is claimed by one conditional update (so
/// several nodes read it once), its original file read with Tesseract, and its text and confidence stored with the
/// document, which the search then finds by words of its text. A scan whose reading was cut off (the server
/// stopped) is taken again after `stale` seconds.
enum DocumentOCR {
    static let stale: TimeInterval = 1800

    /// Reads up to `limit` waiting scans; how many it read. `progress` is told after each.
    @discardableResult
    static func run(limit: Int = 10, services: PlatformServices, on db: any Database, logger: Logger,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let engine = OCREngine(tesseract: services.configuration.tesseract)
        let now = services.clock.now()
        let waiting = try await DocumentModel.query(on: db)
            .group(.or) { group in
                group.filter(\.$ocrStatus == ScanIntake.OCRStatus.pending.rawValue)
                group.group(.and) {
                    $0.filter(\.$ocrStatus == ScanIntake.OCRStatus.running.rawValue).filter(\.$ocrStartedAt < now.addingTimeInterval(-stale))
                }
            }
            .sort(\.$createdAt).limit(limit).all()
        guard !waiting.isEmpty else { return 0 }
        guard await engine.isAvailable() else { return 0 }
        var count = 0
        for (index, scan) in waiting.enumerated() {
            let id = try scan.requireID()
            let claimed = try await sql.raw("""
                UPDATE \(ident: DocumentModel.schema) SET ocr_status = \(bind: ScanIntake.OCRStatus.running.rawValue), ocr_started_at = \(bind: now)
                WHERE id = \(bind: id) AND (ocr_status = \(bind: ScanIntake.OCRStatus.pending.rawValue)
                    OR (ocr_status = \(bind: ScanIntake.OCRStatus.running.rawValue) AND ocr_started_at < \(bind: now.addingTimeInterval(-stale))))
                RETURNING id
                """).all()
            guard !claimed.isEmpty else { continue }
            try await read(scan, engine: engine, services: services, on: db, logger: logger)
            count += 1
            progress?(index + 1, waiting.count)
        }
        return count
    }

    /// Reads the scan's original file and stores what OCR found (or that it failed), refreshing the search text.
    private static func read(_ scan: DocumentModel, engine: OCREngine, services: PlatformServices, on db: any Database,
                             logger: Logger) async throws {
        let id = try scan.requireID()
        guard let file = try await DocumentFileModel.query(on: db).filter(\.$documentID == id).sort(\.$createdAt).first(),
              let ext = ScanIntake.ext(fileName: file.name) else {
            try await store(nil, on: scan, db: db)
            return
        }
        let result: OCREngine.Result?
        do {
            result = try await engine.recognise(services.files.path(for: file.sha256), ext: ext, scratch: services.files.root)
        } catch {
            logger.warning("OCR of document \(id) failed: \(error)")
            result = nil
        }
        try await store(result, on: scan, db: db)
    }

    private static func store(_ result: OCREngine.Result?, on scan: DocumentModel, db: any Database) async throws {
        // Fresh: the clerk may have registered it while OCR ran.
        guard let current = try await DocumentModel.find(try scan.requireID(), on: db) else { return }
        current.ocrStatus = (result == nil ? ScanIntake.OCRStatus.failed : .done).rawValue
        // The text is bounded as a subject is not: a long report scanned whole keeps its first 200,000 characters.
        current.ocrText = result.map { String($0.text.prefix(200_000)) }
        current.ocrConfidence = result?.confidence
        current.refreshSearchText()
        try await current.save(on: db)
    }
}
