import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Issuance of an outgoing document (Decree 30/2020 art. 15, 18): its number in the issuer's outgoing register of
/// the year, from 1 on 1 January, and its notation (`DocumentNotation`). The number is taken from the register's
/// own counter row inside the issue action's transaction, so concurrent issuances wait for each other only within
/// one register and year, and a rolled-back issuance gives its number back: none is skipped or given twice.
enum DocumentIssuance {
    /// The counter scope of an issuer's outgoing register in a year.
    static func registerScope(issuer: String, year: Int) -> String { "documents.outgoing:\(issuer):\(year)" }

    /// The year in Vietnam's time, which the registers follow.
    static func registerYear(_ date: Date) -> Int { WorkingDayCalendar().civilDate(of: date).year }

    static func notConfigured(_ vi: String, _ en: String) -> EGovError {
        .conflict(ValidationError(field: "issuer", vi: vi, en: en))
    }

    /// Numbers `document` at `now` and writes its notation, in `tx`. Refused (409, nothing numbered) when the
    /// pack does not say how the issuer, or for a công văn the drafting unit, is written.
    static func number(_ document: DocumentModel, at now: Date, on tx: any Database) async throws {
        guard let issuer = try await IssuerModel.find(document.issuerCode, on: tx) else {
            throw notConfigured("Chưa khai báo chữ viết tắt của cơ quan ban hành \(document.issuerCode) (issuers.yaml).",
                                "The issuing body \(document.issuerCode) has no abbreviation (issuers.yaml).")
        }
        guard let type = try await DocumentTypeModel.find(document.typeID, on: tx) else {
            throw notConfigured("Loại văn bản “\(document.typeID)” không còn trong danh mục.", "Document type “\(document.typeID)” is no longer listed.")
        }
        var drafting: String?
        if type.abbreviation == nil {
            drafting = document.draftingUnitCode == document.issuerCode
                ? issuer.officeAbbreviation
                : try await IssuerModel.find(document.draftingUnitCode, on: tx)?.abbreviation
            guard drafting != nil else {
                throw notConfigured("Chưa khai báo chữ viết tắt của đơn vị soạn thảo \(document.draftingUnitCode) để ghi ký hiệu \(type.name.lowercased()).",
                                    "The drafting unit \(document.draftingUnitCode) has no abbreviation for the notation of a \(type.name).")
            }
        }
        let year = registerYear(now)
        let number = try await Counters.next(registerScope(issuer: document.issuerCode, year: year), on: tx)
        let notation: DocumentNotation
        do {
            notation = try DocumentNotation(number: number, typeAbbreviation: type.abbreviation, issuer: issuer.abbreviation, draftingUnit: drafting,
                                            leadingZero: issuer.leadingZero ?? true)
        } catch {
            throw EGovError.validation([error])
        }
        document.registerYear = year
        document.number = number
        document.notation = notation.text
        document.issuedAt = now
        document.refreshSearchText()
        try await document.save(on: tx)
    }

    /// Issues `document` in the issue action's transaction: its number and notation, then the issuing body's seal
    /// on its PDFs (the stamp shows the notation) and on its edXML message, then the sending, and the recall of
    /// the document it replaces. The number is held from the moment it is taken until the transaction ends, so a
    /// seal that fails gives it back.
    static func issue(_ document: DocumentModel, action: ProcessDefinition.Action, event: CaseEvent, sealing: ResultSigning?,
                      services: PlatformServices, on tx: any Database) async throws {
        try await number(document, at: event.at, on: tx)
        if let sealing {
            let sealed = try await DocumentFiles.sign(document, with: sealing, action: action, services: services, on: tx)
            try await DocumentFiles.record(sealed.signed, replacing: sealed.replacing, on: document, seq: event.seq, at: event.at, on: tx)
        }
        try await DocumentDelivery.deliver(document, sealing: sealing, services: services, at: event.at, on: tx)
        if let replaced = document.replacesID { try await DocumentRecall.replace(replaced, by: document, services: services, on: tx) }
    }

    /// The counter scope of a unit's incoming register in a year.
    static func incomingScope(unit: String, year: Int) -> String { "documents.incoming:\(unit):\(year)" }

    /// Gives an incoming document its arrival number in the receiving unit's incoming register of the year
    /// (Decree 30/2020 art. 22: one series through the year), in the registering transaction.
    static func arrive(_ document: DocumentModel, at now: Date, on tx: any Database) async throws {
        document.registerYear = registerYear(now)
        document.arrivalNumber = try await Counters.next(incomingScope(unit: document.draftingUnitCode, year: registerYear(now)), on: tx)
        try await document.save(on: tx)
    }
}
