import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// What a submission needs of the catalogue before it writes anything — the procedure, the units that decide it
/// and the one-stop settings — in one statement instead of three (issue 15). The stored JSON is decoded once for
/// as long as its text is unchanged (compare on read, as `ProcessStore` does): nothing is kept that the next
/// read does not check, so an edit anywhere counts at once.
extension CatalogueStore {
    struct SubmissionEntry: Sendable {
        let procedure: Procedure
        let unitCodes: [String]
        let settings: OneStopSettings
    }

    /// The procedure `code` with its units (sorted) and the settings, or nil if there is no such procedure.
    static func submissionEntry(code: String, on db: any Database) async throws -> SubmissionEntry? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let units: SQLQueryString = sql.dialect.name == "postgresql"
            ? "SELECT string_agg(unit_code, ',') FROM \(ident: ProcedureUnitModel.schema) WHERE procedure_code = p.code"
            : "SELECT group_concat(unit_code, ',') FROM \(ident: ProcedureUnitModel.schema) WHERE procedure_code = p.code"
        guard let row = try await sql.raw("""
            SELECT p.entry AS entry, s.value AS settings, (\(units)) AS units
            FROM \(ident: ProcedureModel.schema) p
            LEFT JOIN \(ident: CatalogueDocumentModel.schema) s ON s.key = \(bind: settingsKey)
            WHERE p.code = \(bind: code)
            """).first() else { return nil }
        let entry = try row.decode(column: "entry", as: String.self)
        let settings = try row.decode(column: "settings", as: String?.self)
        // Unit codes are identifiers (digits, letters, dots): a comma cannot be part of one.
        let unitCodes = (try row.decode(column: "units", as: String?.self) ?? "").split(separator: ",").map(String.init).sorted()
        return SubmissionEntry(procedure: try decodedProcedure(code: code, text: entry), unitCodes: unitCodes,
                               settings: try settings.map(decodedSettings) ?? OneStopSettings())
    }

    private static let procedures = DecodedTextCache<Procedure>()
    private static let settingsCache = DecodedTextCache<OneStopSettings>(capacity: 1)

    /// Every procedure read from the catalogue is decoded here (`procedure(of:)` too).
    static func decodedProcedure(code: String, text: String) throws -> Procedure {
        try procedures.value(key: code, text: text)
    }

    /// The settings are decoded here wherever they are read (`settings(on:)` too).
    static func decodedSettings(_ text: String) throws -> OneStopSettings {
        try settingsCache.value(key: settingsKey, text: text)
    }
}
