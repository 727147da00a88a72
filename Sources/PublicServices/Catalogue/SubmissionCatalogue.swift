import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// What a submission needs of the catalogue before it writes anything — the procedure, the units that decide it
/// and the one-stop settings — in one statement instead of three (issue 15); then the deciding unit with its process
/// and the applicant's account in another. The stored JSON is decoded once for
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

    /// What a submission reads once it knows the deciding unit: the unit, the process the procedure follows there and,
    /// online, the applicant's account, in one statement instead of three (issue 15).
    struct SubmissionParties: Sendable {
        let unit: UnitModel
        /// Nil when the unit's process is not configured.
        let process: ProcessDefinition?
        /// Nil when no account was asked for (at a counter) or there is none.
        let account: AccountContact?
    }

    /// What an online submission takes from the applicant's account.
    struct AccountContact: Sendable {
        let fullName: String
        let idNumberSealed: String?
        let phone: String?
        let email: String?
    }

    /// The unit `unitCode` with the process `processID` of the one-stop-shop and the account `accountID`, or nil if
    /// there is no such unit. The process is decoded once for as long as its stored text is unchanged (`ProcessStore`).
    static func submissionParties(unitCode: String, processID: String, accountID: UUID?,
                                  on db: any Database) async throws -> SubmissionParties? {
        guard let sql = db as? any SQLDatabase else { return nil }
        guard let row = try await sql.raw("""
            SELECT u.*, p.definition AS egov_process_definition, a.id AS egov_account_id, a.full_name AS egov_account_full_name,
                a.id_number_sealed AS egov_account_id_number_sealed, a.phone AS egov_account_phone, a.email AS egov_account_email
            FROM \(ident: UnitModel.schema) u
            LEFT JOIN \(ident: ProcessStore.table) p ON p.module = \(bind: PublicServicesModule.moduleID) AND p.process_id = \(bind: processID)
            LEFT JOIN \(ident: UserModel.schema) a ON a.id = \(bind: accountID)
            WHERE u.code = \(bind: unitCode) LIMIT 1
            """).first() else { return nil }
        let unit = try row.decode(fluentModel: UnitModel.self)
        let process = try row.decode(column: "egov_process_definition", as: String?.self).map {
            try ProcessStore.process(module: PublicServicesModule.moduleID, processID: processID, definition: $0)
        }
        var account: AccountContact?
        if try row.decode(column: "egov_account_id", as: UUID?.self) != nil {
            account = AccountContact(fullName: try row.decode(column: "egov_account_full_name", as: String.self),
                                     idNumberSealed: try row.decode(column: "egov_account_id_number_sealed", as: String?.self),
                                     phone: try row.decode(column: "egov_account_phone", as: String?.self),
                                     email: try row.decode(column: "egov_account_email", as: String?.self))
        }
        return SubmissionParties(unit: unit, process: process, account: account)
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
