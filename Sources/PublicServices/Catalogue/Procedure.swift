import EGovCore
import Foundation
import Vapor

/// A field (lĩnh vực) of the procedure catalogue.
public struct ProcedureField: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
}

/// Online service level (Decree 42/2022): fully online (toàn trình), partly online (một phần), or not online.
public enum OnlineLevel: String, Codable, Sendable, CaseIterable {
    case full, partial, none

    /// The older scale of Decree 43/2011, still shown by many portals.
    public var legacyLevel: Int {
        switch self {
        case .full: 4
        case .partial: 3
        case .none: 2
        }
    }

    public var label: LocalizedText {
        switch self {
        case .full: LocalizedText(vi: "Toàn trình", en: "Fully online")
        case .partial: LocalizedText(vi: "Một phần", en: "Partly online")
        case .none: LocalizedText(vi: "Không trực tuyến", en: "Not online")
        }
    }
}

/// Where a procedure is decided.
public enum ProcedureLevel: String, Codable, Sendable, CaseIterable { case commune, province }

/// Which units decide a procedure: every commune, or a list of units.
public enum UnitSelector: Codable, Sendable, Hashable {
    case everyCommune
    case units([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) { self = .units(list) } else {
            let word = try container.decode(String.self)
            guard word == "commune" else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "units: commune or a list of codes"))
            }
            self = .everyCommune
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .everyCommune: try container.encode("commune")
        case .units(let codes): try container.encode(codes)
        }
    }
}

public struct Fee: Codable, Sendable, Hashable, Content {
    public var name: String
    /// VND, whole đồng.
    public var amount: Int
    public var note: String?
}

/// A thành phần hồ sơ: a document the applicant hands in.
public struct DossierComponent: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var required: Bool
    public var copies: Int
    public var fileTypes: [String]
    /// Filled in online as a form rather than uploaded.
    public var isForm: Bool
}

/// A thủ tục hành chính as a locality publishes it.
public struct Procedure: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var field: String
    public var level: ProcedureLevel
    public var units: UnitSelector
    public var onlineLevel: OnlineLevel
    public var processingDays: Int
    /// What the pack reader and the catalogue editor both accept: a year of working days at most, and a
    /// cut-off hour of the day (the deadline arithmetic runs on these).
    public static let processingDaysRange = 0...365
    public static let cutoffHours = 0...23
    public var cutoffHour: Int?
    public var process: String
    public var processByUnit: [String: String]
    public var fees: [Fee]
    public var legalBasis: [String]
    public var components: [DossierComponent]
    public var result: String

    /// The fees added up; every writer (pack reader, editor) keeps the sum within `VND.maximum`, and the
    /// sum saturates there rather than trapping if a row was written by hand.
    public var totalFee: Int { VND.total(fees.map(\.amount)) ?? VND.maximum }

    /// The process a dossier of this procedure follows in a unit.
    public func processID(in unitCode: String) -> String { processByUnit[unitCode] ?? process }
}
